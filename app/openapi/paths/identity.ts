/*
 * OpenAPI paths of the identity area: sign-in, tokens, profile, organization, users.
 */
import { ROLES, USER_STATUSES } from '#enums/roles'
import { commonErrors, error, idParam, json, ok, ref } from '#openapi/helpers'

export const identitySchemas = {
  User: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      organizationId: { type: 'integer' },
      name: { type: 'string' },
      email: { type: 'string', format: 'email' },
      role: { enum: [...ROLES] },
      status: { enum: [...USER_STATUSES] },
      phone: { type: ['string', 'null'] },
      passwordResetRequired: { type: 'boolean' },
      lastLoginAt: { type: ['string', 'null'], format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      deletedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  Organization: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      slug: { type: 'string' },
      status: { enum: ['active', 'suspended'] },
      timezone: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  Token: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: ['string', 'null'] },
      abilities: { type: 'array', items: { enum: ['*', 'read', 'write'] } },
      lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
      expiresAt: { type: ['string', 'null'], format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
}

export const identityPaths = {
  '/auth/login': {
    post: {
      summary: 'Sign in with email and password; returns a one-day bearer token',
      security: [],
      requestBody: {
        content: json({
          type: 'object',
          required: ['email', 'password'],
          properties: {
            email: { type: 'string' },
            password: { type: 'string' },
            tokenName: { type: 'string' },
          },
        }),
      },
      responses: {
        201: ok('Signed in', {
          type: 'object',
          properties: {
            data: {
              type: 'object',
              properties: {
                tokenType: { enum: ['Bearer'] },
                token: { type: 'string', description: 'Shown once' },
                expiresAt: { type: ['string', 'null'], format: 'date-time' },
                user: ref('User'),
                passwordResetRequired: { type: 'boolean' },
              },
            },
          },
        }),
        401: error('Invalid email or password'),
        403: error('Organization suspended or account inactive'),
        422: error('Invalid input'),
        423: error('Account locked after repeated failures; see Retry-After'),
        429: error('More than 10 attempts a minute for this IP and email'),
      },
    },
  },
  '/auth/me': {
    get: {
      summary: 'The signed-in user and their organization',
      responses: {
        200: ok('Current user', {
          type: 'object',
          properties: {
            data: {
              type: 'object',
              properties: {
                user: ref('User'),
                organization: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    name: { type: 'string' },
                    slug: { type: 'string' },
                    status: { enum: ['active', 'suspended'] },
                    timezone: { type: 'string' },
                  },
                },
              },
            },
          },
        }),
        ...commonErrors,
      },
    },
  },
  '/auth/session': {
    delete: {
      summary: 'Sign out: revokes the token used',
      responses: { 204: { description: 'Signed out' }, ...commonErrors },
    },
  },
  '/auth/tokens': {
    get: {
      summary: "List the caller's own API tokens",
      responses: {
        200: ok('Tokens', {
          type: 'object',
          properties: { data: { type: 'array', items: ref('Token') } },
        }),
        ...commonErrors,
      },
    },
    post: {
      summary: 'Create an API token (the secret is shown once)',
      requestBody: {
        content: json({
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', maxLength: 100 },
            abilities: { type: 'array', items: { enum: ['*', 'read', 'write'] } },
            expiresInDays: { type: 'integer', minimum: 1, maximum: 365, default: 90 },
          },
        }),
      },
      responses: {
        201: ok('Created', {
          type: 'object',
          properties: {
            data: {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                name: { type: ['string', 'null'] },
                abilities: { type: 'array', items: { enum: ['*', 'read', 'write'] } },
                expiresAt: { type: ['string', 'null'], format: 'date-time' },
                token: { type: 'string', description: 'The secret, shown only in this response' },
              },
            },
            meta: { type: 'object', properties: { notice: { type: 'string' } } },
          },
        }),
        422: error('Invalid input'),
        ...commonErrors,
      },
    },
  },
  '/auth/tokens/{id}': {
    delete: {
      summary: "Revoke one of the caller's tokens",
      parameters: [idParam],
      responses: {
        204: { description: 'Revoked' },
        404: error('No such token of yours'),
        ...commonErrors,
      },
    },
  },
  '/profile/password': {
    put: {
      summary: "Change the caller's password (revokes their tokens)",
      requestBody: {
        content: json({
          type: 'object',
          required: ['currentPassword', 'password', 'passwordConfirmation'],
          properties: {
            currentPassword: { type: 'string' },
            password: {
              type: 'string',
              minLength: 8,
              description: 'letters and digits, not the email, not common',
            },
            passwordConfirmation: { type: 'string' },
          },
        }),
      },
      responses: {
        200: ok('Changed', {
          type: 'object',
          properties: {
            data: { type: 'object', properties: { message: { type: 'string' } } },
          },
        }),
        422: error('Policy or current password check failed'),
        ...commonErrors,
      },
    },
  },
  '/organization': {
    get: {
      summary: "The caller's organization",
      responses: {
        200: ok('Organization', { type: 'object', properties: { data: ref('Organization') } }),
        ...commonErrors,
      },
    },
    put: {
      summary: 'Rename or change the timezone (owner only)',
      requestBody: {
        content: json({
          type: 'object',
          properties: { name: { type: 'string' }, timezone: { type: 'string' } },
        }),
      },
      responses: {
        200: ok('Updated', { type: 'object', properties: { data: ref('Organization') } }),
        422: error('Invalid input'),
        ...commonErrors,
      },
    },
  },
  '/users': {
    get: {
      summary: 'List users (owner, PBX admin)',
      parameters: [
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
        {
          name: 'perPage',
          in: 'query',
          schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
        },
        { name: 'search', in: 'query', schema: { type: 'string' } },
        { name: 'role', in: 'query', schema: { enum: [...ROLES] } },
        { name: 'status', in: 'query', schema: { enum: [...USER_STATUSES] } },
        {
          name: 'sort',
          in: 'query',
          schema: {
            enum: [
              'name',
              '-name',
              'email',
              '-email',
              'created_at',
              '-created_at',
              'role',
              '-role',
            ],
          },
        },
        { name: 'trashed', in: 'query', schema: { enum: ['with', 'only'] } },
      ],
      responses: {
        200: ok('A page of users', {
          type: 'object',
          properties: { data: { type: 'array', items: ref('User') }, meta: ref('PageMeta') },
        }),
        422: error('Invalid filter'),
        ...commonErrors,
      },
    },
    post: {
      summary: 'Create a user (owners any role; PBX admins PBX users and reporters)',
      requestBody: {
        content: json({
          type: 'object',
          required: ['name', 'email', 'password', 'role'],
          properties: {
            name: { type: 'string' },
            email: { type: 'string', format: 'email' },
            password: { type: 'string' },
            role: { enum: [...ROLES] },
            status: { enum: [...USER_STATUSES] },
            phone: { type: 'string' },
            passwordResetRequired: { type: 'boolean' },
          },
        }),
      },
      responses: {
        201: ok('Created', { type: 'object', properties: { data: ref('User') } }),
        422: error('Invalid input'),
        ...commonErrors,
      },
    },
  },
  '/users/{id}': {
    get: {
      summary: 'One user',
      parameters: [idParam],
      responses: {
        200: ok('User', { type: 'object', properties: { data: ref('User') } }),
        404: error('Not in your organization'),
        ...commonErrors,
      },
    },
    patch: {
      summary: 'Update a user (partial)',
      parameters: [idParam],
      requestBody: {
        content: json({
          type: 'object',
          properties: {
            name: { type: 'string' },
            email: { type: 'string' },
            role: { enum: [...ROLES] },
            status: { enum: [...USER_STATUSES] },
            phone: { type: ['string', 'null'] },
          },
        }),
      },
      responses: {
        200: ok('Updated', { type: 'object', properties: { data: ref('User') } }),
        404: error('Not in your organization'),
        409: error('Would leave no active owner'),
        422: error('Invalid input'),
        ...commonErrors,
      },
    },
    put: {
      summary: 'Same as PATCH',
      parameters: [idParam],
      responses: {
        200: ok('Updated', { type: 'object', properties: { data: ref('User') } }),
        404: error('Not in your organization'),
        ...commonErrors,
      },
    },
    delete: {
      summary: 'Soft-delete a user (revokes their tokens)',
      parameters: [idParam],
      responses: {
        204: { description: 'Deleted' },
        404: error('Not in your organization'),
        409: error('Would leave no active owner'),
        ...commonErrors,
      },
    },
  },
  '/users/{id}/restore': {
    post: {
      summary: 'Restore a soft-deleted user',
      parameters: [idParam],
      responses: {
        200: ok('Restored', { type: 'object', properties: { data: ref('User') } }),
        404: error('No deleted user with this id in your organization'),
        ...commonErrors,
      },
    },
  },
  '/openapi.json': {
    get: {
      summary: 'This document',
      security: [],
      responses: {
        200: ok('OpenAPI document', {
          type: 'object',
          required: ['openapi', 'info', 'paths'],
          properties: {
            openapi: { type: 'string' },
            info: { type: 'object', additionalProperties: true },
            paths: { type: 'object', additionalProperties: true },
          },
          additionalProperties: true,
        }),
      },
    },
  },
}
