/**
 * The `application/simple-message-summary` body of RFC 3842 §5: the lamp state, the
 * account the counts belong to, and voice message counts as `new/old (urgent new/old)`.
 */
export interface MailboxCounts {
  newMessages: number
  oldMessages: number
}

export const MESSAGE_SUMMARY_TYPE = 'application/simple-message-summary'

export function messageSummary(account: string, counts: MailboxCounts): string {
  return [
    `Messages-Waiting: ${counts.newMessages > 0 ? 'yes' : 'no'}`,
    `Message-Account: ${account}`,
    `Voice-Message: ${counts.newMessages}/${counts.oldMessages} (0/0)`,
    '',
  ].join('\r\n')
}

/** Valid counts from untrusted JSON (the control API, the app), or null. */
export function readCounts(value: unknown): MailboxCounts | null {
  if (typeof value !== 'object' || value === null) return null
  const { newMessages, oldMessages } = value as Record<string, unknown>
  const valid = (n: unknown): n is number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 1_000_000
  return valid(newMessages) && valid(oldMessages) ? { newMessages, oldMessages } : null
}
