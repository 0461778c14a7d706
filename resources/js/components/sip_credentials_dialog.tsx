import { useEffect, useState } from 'react'
import QRCode from 'qrcode'
import { Modal } from '~/components/modal'
import { toast } from '~/components/toaster'

export type SipCredentials = { number: string; username: string | null; password: string }

/** A generic account line softphones accept (baresip's accounts file format). */
export function accountSnippet(c: SipCredentials, domain: string) {
  const user = c.username ?? c.number
  return [
    `# ${c.number}: SIP account`,
    `Username:  ${user}`,
    `Password:  ${c.password}`,
    `Domain:    ${domain}`,
    `Registrar: sip:${domain}`,
    '',
    '# baresip ~/.baresip/accounts',
    `<sip:${user}@${domain}>;auth_pass=${c.password};regint=300`,
  ].join('\n')
}

/** What the QR code carries: a SIP URI with the credentials, which mobile softphones scan. */
export function qrPayload(c: SipCredentials, domain: string) {
  const user = encodeURIComponent(c.username ?? c.number)
  return `sip:${user}:${encodeURIComponent(c.password)}@${domain}`
}

/**
 * Shown once, after creation or rotation: the password cannot be displayed again, only
 * rotated. Offers the QR code and a configuration snippet to set up a softphone.
 */
export function SipCredentialsDialog({
  credentials,
  domain,
}: {
  credentials: SipCredentials
  domain: string
}) {
  const [open, setOpen] = useState(true)
  const [qr, setQr] = useState<string | null>(null)
  const snippet = accountSnippet(credentials, domain)
  useEffect(() => {
    QRCode.toDataURL(qrPayload(credentials, domain), { margin: 1, width: 192 })
      .then(setQr)
      .catch(() => setQr(null))
  }, [credentials, domain])
  if (!open) return null
  return (
    <Modal
      title={`SIP credentials for ${credentials.number}`}
      onClose={() => setOpen(false)}
      className="wide"
    >
      <p className="notice">
        Copy the password now: it will not be shown again (you can rotate it later).
      </p>
      <dl className="credentials">
        <dt>Username</dt>
        <dd>
          <code>{credentials.username}</code>
        </dd>
        <dt>Password</dt>
        <dd>
          <code data-testid="sip-password">{credentials.password}</code>
        </dd>
        <dt>Domain</dt>
        <dd>
          <code>{domain}</code>
        </dd>
      </dl>
      <div className="softphone">
        {qr && (
          <img
            src={qr}
            width={192}
            height={192}
            alt={`QR code with the SIP account of extension ${credentials.number}`}
            data-testid="sip-qr"
          />
        )}
        <label>
          <span>Softphone configuration</span>
          <textarea readOnly wrap="off" value={snippet} rows={9} data-testid="sip-snippet" />
        </label>
      </div>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            navigator.clipboard
              ?.writeText(snippet)
              .then(() => toast('Configuration copied'))
              .catch(() => toast('Copy failed: select the text and copy it', 'error'))
          }
        >
          Copy configuration
        </button>
        <button type="button" onClick={() => setOpen(false)} data-autofocus>
          I have saved it
        </button>
      </div>
    </Modal>
  )
}
