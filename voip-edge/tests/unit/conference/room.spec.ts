import { test } from '@japa/runner'
import { Participant, Room, type RoomEnd } from '../../../src/conference/room.ts'
import { FRAME_SAMPLES } from '../../../src/conference/mix.ts'

const options = (id: string, extra: Partial<Participant['options']> = {}) => ({
  id,
  muted: false,
  host: true,
  endConferenceOnExit: false,
  beepOnEnter: true,
  beepOnExit: true,
  ...extra,
})

function room(ends: RoomEnd[], maxParticipants = 3) {
  return new Room({
    key: 'org-a\u0000r',
    name: 'r',
    organizationId: 'org-a',
    maxParticipants,
    onEnd: (_room, end) => ends.push(end),
  })
}

test.group('conference room lifecycle', () => {
  test('beeps go to the others on join and leave; the room ends with its last participant and closes every socket', async ({
    assert,
  }) => {
    const ends: RoomEnd[] = []
    const r = room(ends)
    const first = await Participant.open(options('a'), '127.0.0.1')
    const second = await Participant.open(options('b'), '127.0.0.1')
    r.add(first)
    first.nextPrivate()
    // The first participant's own join chime is 300 ms: drain it.
    for (let i = 0; i < 15; i++) first.nextPrivate()
    assert.isNull(first.nextPrivate())
    r.add(second)
    const chime = first.nextPrivate()
    assert.isNotNull(chime, 'the first participant hears the second join')
    assert.isAbove(Math.max(...chime!), 1000)
    r.remove(second)
    assert.equal(await second.left, 'removed')
    for (let i = 0; i < 14; i++) first.nextPrivate()
    assert.isNotNull(first.nextPrivate(), 'the leave chime follows the join chime')
    assert.lengthOf(ends, 0)
    r.remove(first)
    assert.lengthOf(ends, 1, 'the last one out ends the room')
    assert.isTrue(r.ended)
    assert.throws(() => first.socket.address(), /Not running/)
  })

  test('wait for host, endConferenceOnExit, full, and the recording holds only the started room', async ({
    assert,
  }) => {
    const ends: RoomEnd[] = []
    const r = room(ends, 2)
    r.record()
    const guest = await Participant.open(
      options('g', { host: false, beepOnEnter: false }),
      '127.0.0.1',
    )
    r.add(guest)
    assert.isFalse(r.started)
    r.tick()
    r.tick()
    assert.isFalse(r.full)
    const host = await Participant.open(
      options('h', { endConferenceOnExit: true, beepOnEnter: false }),
      '127.0.0.1',
    )
    r.add(host)
    assert.isTrue(r.started, 'a host starts the room')
    assert.isTrue(r.full)
    r.tick()
    r.tick()
    r.tick()
    r.remove(host)
    assert.equal(await guest.left, 'room-ended', 'the host leaving ends the room for the guest')
    assert.lengthOf(ends, 1)
    assert.equal(
      ends[0].recording!.length,
      3 * FRAME_SAMPLES,
      'ticks before the start are not kept',
    )
  })
})
