/**
 * The answering phone of the call-load suites: sipp's stock UAS from voip-edge/scenarios,
 * echoing RTP back so rtpengine carries media both ways. The calling side's arguments are
 * voip-edge/bench/sipp_results.ts `callerArgs`, shared with the benchmarks.
 */
import { join } from 'node:path'
import { freeUdpPort } from '../../voip-edge/tests/support/processes.ts'
import { SCENARIOS } from '../../voip-edge/tests/support/sipp.ts'

export async function echoingCalleeArgs(sipPort: number): Promise<string[]> {
  return [
    '-sf',
    join(SCENARIOS, 'uas_answer_expect_200.xml'),
    '-i',
    '127.0.0.1',
    '-p',
    String(sipPort),
    '-mi',
    '127.0.0.1',
    '-mp',
    String(await freeUdpPort()),
    '-rtp_echo',
  ]
}
