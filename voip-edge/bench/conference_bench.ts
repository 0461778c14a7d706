/**
 * voip-edge conference mixer benchmark: CPU per 20 ms tick of one room, real sockets.
 *
 *   cd voip-edge && node bench/conference_bench.ts [--ticks=3000]
 *
 * Rooms of 2 (same-run baseline), 5, 10 and 20 participants, each participant a UDP leg of
 * the room sending its mix to a loopback receiver, and fed one 20 ms PCMA tone frame per
 * tick through its socket (as rtpengine would; the mix goes back to that sender, symmetric RTP). Ticks are driven back to back (not by the
 * clock) so the figure is CPU per tick: decode, N−1 mix, encode, RTP send. Printed: µs CPU
 * per tick, share of the 20 ms budget of one core, and the ratio to the 2-party room.
 */
import { createSocket } from 'node:dgram'
import { Participant, Room } from '../src/conference/room.ts'
import { encode } from '../src/conference/g711.ts'
import { RtpSender } from '../src/conference/rtp.ts'

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const TICKS = arg('ticks', 3000)

let received = 0

async function measure(size: number): Promise<number> {
  const room = new Room({
    key: `bench\u0000${size}`,
    name: String(size),
    organizationId: 'bench',
    maxParticipants: size,
    onEnd: () => undefined,
  })
  const feeder = createSocket('udp4')
  feeder.on('message', () => received++)
  await new Promise<void>((resolve) => feeder.bind(0, '127.0.0.1', () => resolve()))
  const sink = { address: '127.0.0.1', port: feeder.address().port }
  const participants: Participant[] = []
  for (let i = 0; i < size; i++) {
    const participant = await Participant.open(
      {
        id: `p${i}`,
        muted: false,
        host: true,
        endConferenceOnExit: false,
        beepOnEnter: false,
        beepOnExit: false,
      },
      '127.0.0.1',
    )
    participant.connect('PCMA', sink)
    participants.push(participant)
  }
  // Ticks are driven below; the room's own clock must not add more.
  for (const participant of participants) room.participants.push(participant)
  room.started = true
  const senders = participants.map(() => new RtpSender(8))
  const frame = encode(
    'PCMA',
    Int16Array.from({ length: 160 }, (_, i) => Math.round(Math.sin(i / 3) * 8000)),
  )
  const before = process.cpuUsage()
  for (let tick = 0; tick < TICKS; tick++) {
    participants.forEach((participant, i) =>
      feeder.send(senders[i].packet(frame), participant.port, '127.0.0.1'),
    )
    // Let the datagrams arrive, as between two real ticks.
    await new Promise((resolve) => setImmediate(resolve))
    room.tick()
  }
  const used = process.cpuUsage(before)
  const fed = participants.reduce((sum, participant) => sum + participant.received, 0)
  // Mix packets still in flight arrive before the sockets close.
  await new Promise((resolve) => setTimeout(resolve, 200))
  room.end()
  feeder.close()
  const perTick = (used.user + used.system) / TICKS
  console.log(
    `${String(size).padStart(2)} participants: ${perTick.toFixed(0).padStart(5)} µs CPU per tick ` +
      `(${((perTick / 20_000) * 100).toFixed(2)} % of one core), ` +
      `${fed} of ${size * TICKS} frames received by the room`,
  )
  return perTick
}

console.log(`conference mixer, ${TICKS} ticks per room (${new Date().toISOString()})`)
const baseline = await measure(2)
for (const size of [5, 10, 20]) {
  const perTick = await measure(size)
  console.log(`   ratio to the 2-party room: ${(perTick / baseline).toFixed(1)}×`)
}
console.log(`mix packets that came back to the senders: ${received}`)
