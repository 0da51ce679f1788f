// js-libp2p test peer for btcfed-node's interop tests, driven through stdin/stdout, one JSON object a line.
// Start: node --import ./polyfill.mjs peer.mjs, then the first line configures it:
//   {"cmd":"start","key":"<base64 seed(32)||public(32)>","listen":"/ip4/127.0.0.1/tcp/0"|null,"echo":false,"monitor":true}
// Commands (an optional "id" is copied into the answer): dial {addr}, ping {peerId}, identify {peerId[, active]},
// send {peerId, count, start} or {peerId, hex}, hangup {peerId}, stop. See JsPeer.java for the events.
// /btcfed/msg/1.0.0: a stream carries messages, each uvarint(length) || payload; one long-lived outbound stream a
// peer, opened on the first send and reopened when closed. A numbered message is 32 bytes: the sequence number
// as 8 bytes big-endian, then the filler bytes 0x01..0x18; other payloads are reported as hex.
import { createInterface } from 'node:readline'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'

const PROTOCOL = '/btcfed/msg/1.0.0'
const MAX_MESSAGE = 4 * 1024 * 1024
const FILLER = Buffer.from(Array.from({ length: 24 }, (_, i) => i + 1))
const SEND_CHUNK = 16000 // not a multiple of 33: numbered messages straddle the writes

const out = (event) => process.stdout.write(JSON.stringify(event) + '\n')
const fail = (cmd, err, extra = {}) => out({ event: 'error', cmd, ...extra, message: err?.message ?? String(err), name: err?.name })
process.on('uncaughtException', (err) => fail('uncaught', err))
process.on('unhandledRejection', (err) => fail('unhandled', err))

let node
let starting // the start command's promise: later commands wait for it
let echo = false
const writers = new Map() // peer id -> { stream, tail }: one outbound message stream per peer, writes in order

const uvarint = (n) => {
	const bytes = []
	for (; n >= 0x80; n = Math.floor(n / 128)) bytes.push((n % 128) | 0x80)
	bytes.push(n)
	return Buffer.from(bytes)
}
const frame = (payload) => Buffer.concat([uvarint(payload.length), payload])
const numbered = (seq) => {
	const payload = Buffer.alloc(32)
	payload.writeBigUInt64BE(BigInt(seq))
	FILLER.copy(payload, 8)
	return payload
}

// Splits a byte stream into messages; zero-length messages are messages too.
function decoder () {
	let buffer = Buffer.alloc(0)
	return function * decode (chunk) {
		const bytes = Buffer.from(chunk.subarray())
		buffer = buffer.length === 0 ? bytes : Buffer.concat([buffer, bytes])
		for (;;) {
			let length = 0
			let i = 0
			for (; i < buffer.length; i++) {
				if (i >= 9) throw new Error('uvarint longer than 9 bytes')
				length += (buffer[i] & 0x7f) * 2 ** (7 * i)
				if (buffer[i] < 0x80) break
			}
			if (i >= buffer.length) return
			if (length > MAX_MESSAGE) throw new Error(`message of ${length} bytes, more than ${MAX_MESSAGE}`)
			const end = i + 1 + length
			if (buffer.length < end) return
			yield buffer.subarray(i + 1, end)
			buffer = buffer.subarray(end)
		}
	}
}

function report (peerId, payload) {
	if (payload.length === 32 && payload.subarray(8).equals(FILLER)) {
		out({ event: 'message', peerId, seq: Number(payload.readBigUInt64BE(0)) })
	} else {
		out({ event: 'message', peerId, hex: payload.toString('hex') })
	}
}

// Queues the payloads on the peer's outbound stream, after everything queued before.
function enqueue (peerId, payloads) {
	let writer = writers.get(peerId)
	if (writer == null) {
		writer = { stream: null, tail: Promise.resolve() }
		writers.set(peerId, writer)
	}
	const job = writer.tail.then(async () => {
		if (writer.stream == null || writer.stream.status !== 'open' || writer.stream.writeStatus !== 'writable') {
			writer.stream = await node.dialProtocol(peerIdFromString(peerId), PROTOCOL)
			drain(writer.stream, peerId)
		}
		const bytes = Buffer.concat(payloads.map(frame))
		for (let offset = 0; offset < bytes.length; offset += SEND_CHUNK) {
			if (!writer.stream.send(bytes.subarray(offset, offset + SEND_CHUNK))) await writer.stream.onDrain()
		}
	})
	writer.tail = job.catch(() => {})
	return job
}

// Reads what the remote sends on our outbound stream (nothing is expected) so that it never stalls.
async function drain (stream, peerId) {
	try {
		for await (const chunk of stream) out({ event: 'unexpected', peerId, bytes: chunk.byteLength })
	} catch (err) {
		fail('outbound-stream', err, { peerId })
	}
}

async function receive (stream, connection) {
	const peerId = connection.remotePeer.toString()
	const decode = decoder()
	try {
		for await (const chunk of stream) {
			const echoes = []
			for (const payload of decode(chunk)) {
				report(peerId, payload)
				if (echo) echoes.push(payload)
			}
			if (echoes.length > 0) enqueue(peerId, echoes).catch((err) => fail('echo', err, { peerId }))
		}
		out({ event: 'streamEnded', peerId, protocol: PROTOCOL })
		await stream.close()
	} catch (err) {
		fail('receive', err, { peerId })
	}
}

async function start (cmd) {
	const raw = Buffer.from(cmd.key ?? '', 'base64')
	if (raw.length !== 64) throw new Error(`key must be 64 bytes of base64, was ${raw.length}`)
	const privateKey = await generateKeyPairFromSeed('Ed25519', raw.subarray(0, 32))
	if (!Buffer.from(privateKey.publicKey.raw).equals(raw.subarray(32))) throw new Error('public half does not belong to the seed')
	echo = cmd.echo === true
	node = await createLibp2p({
		privateKey,
		addresses: { listen: cmd.listen ? [cmd.listen] : [] },
		transports: [tcp()],
		connectionEncrypters: [noise()],
		streamMuxers: [yamux()],
		services: { identify: identify(), ping: ping() },
		connectionGater: { denyDialMultiaddr: async () => false },
		connectionManager: {
			maxConnections: 1000,
			maxIncomingPendingConnections: 1000,
			inboundConnectionThreshold: 1000,
			allow: ['/ip4/127.0.0.0/ipcidr/8'],
			reconnectRetries: 0
		},
		connectionMonitor: { enabled: cmd.monitor !== false }
	})
	node.addEventListener('connection:open', ({ detail: c }) => out({
		event: 'connected', peerId: c.remotePeer.toString(), direction: c.direction, remoteAddr: c.remoteAddr.toString(), connectionId: c.id
	}))
	node.addEventListener('connection:close', ({ detail: c }) => {
		if (node.getConnections(c.remotePeer).length === 0) identifies.delete(c.remotePeer.toString())
		out({ event: 'disconnected', peerId: c.remotePeer.toString(), direction: c.direction, connectionId: c.id })
	})
	node.addEventListener('peer:identify', ({ detail: result }) => {
		const peerId = result.peerId.toString()
		if (identifies.get(peerId)?.done) identifies.delete(peerId) // a later identify replaces an earlier one
		const entry = identifyOf(peerId)
		entry.done = true
		entry.resolve(result)
		out({ event: 'peerIdentified', peerId, ...identifyView(result) })
	})
	await node.handle(PROTOCOL, receive, { maxInboundStreams: 64 })
	out({ event: 'ready', peerId: node.peerId.toString(), listen: node.getMultiaddrs().map(String) })
}

const identifyView = (result) => ({
	agentVersion: result.agentVersion,
	protocolVersion: result.protocolVersion,
	protocols: result.protocols,
	listenAddrs: result.listenAddrs.map(String),
	observedAddr: result.observedAddr?.toString()
})

// The identify that js runs by itself on every new connection, per peer. A second identify stream
// while that one runs is reset by js (one inbound /ipfs/id/1.0.0 stream at a time), so the
// identify command answers with this one unless it asks for a new run ("active": true).
const identifies = new Map()
function identifyOf (peerId) {
	if (!identifies.has(peerId)) identifies.set(peerId, Promise.withResolvers())
	return identifies.get(peerId)
}

async function identified (cmd, peerId) {
	if (!cmd.active) {
		const timeout = new Promise((resolve, reject) => setTimeout(() => reject(new Error('no identify of that peer within 10 s')), 10000).unref())
		return identifyView(await Promise.race([identifyOf(cmd.peerId).promise, timeout]))
	}
	const connection = node.getConnections(peerId).find((c) => c.status === 'open')
	if (connection == null) throw new Error(`no open connection to ${peerId}`)
	return identifyView(await node.services.identify.identify(connection))
}

async function run (cmd) {
	const reply = (event) => out({ ...event, ...(cmd.id === undefined ? {} : { id: cmd.id }) })
	const peerId = cmd.peerId ? peerIdFromString(cmd.peerId) : undefined
	switch (cmd.cmd) {
		case 'dial': {
			const c = await node.dial(multiaddr(cmd.addr))
			return reply({ event: 'dialed', peerId: c.remotePeer.toString(), remoteAddr: c.remoteAddr.toString(), connectionId: c.id })
		}
		case 'ping': return reply({ event: 'pong', peerId: cmd.peerId, rtt: await node.services.ping.ping(peerId) })
		case 'identify': return reply({ event: 'identified', peerId: cmd.peerId, ...(await identified(cmd, peerId)) })
		case 'send': {
			const payloads = cmd.hex !== undefined
				? [Buffer.from(cmd.hex, 'hex')]
				: Array.from({ length: cmd.count ?? 1 }, (_, i) => numbered((cmd.start ?? 0) + i))
			await enqueue(cmd.peerId, payloads)
			return reply({ event: 'sent', peerId: cmd.peerId, count: payloads.length })
		}
		case 'hangup':
			await node.hangUp(peerId)
			return reply({ event: 'hungUp', peerId: cmd.peerId })
		case 'stop': return stop(0)
		default: throw new Error(`unknown command ${JSON.stringify(cmd.cmd)}`)
	}
}

async function stop (code) {
	try {
		await node?.stop()
	} catch (err) {
		fail('stop', err)
	}
	out({ event: 'stopped' })
	process.exit(code)
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
lines.on('line', (line) => {
	if (line.trim() === '') return
	let cmd
	try {
		cmd = JSON.parse(line)
	} catch (err) {
		return fail('parse', new Error('not a JSON line'))
	}
	const failed = (err) => fail(cmd.cmd, err, { id: cmd.id, peerId: cmd.peerId })
	if (cmd.cmd === 'start') {
		if (starting != null) return failed(new Error('already started'))
		starting = start(cmd)
		return starting.catch((err) => { failed(err); stop(1) })
	}
	if (starting == null) return failed(new Error('not started: the first command must be start'))
	starting.then(() => run(cmd)).catch(failed)
})
// The Java test is gone (or closed our stdin): stop, never linger.
lines.on('close', () => stop(0))
