package org.btcfed.node.network.yamux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

/**
 * The session's streams and the {@link YamuxConfig} limits on them: open streams by id, the
 * streams opened whose SYN is still to go out (in id order, from any thread), inbound and
 * unacknowledged outbound counts, and the bytes queued for window. Confined to the event loop
 * except {@link #newOutbound} and {@link #count}.
 */
final class StreamTable {

	private final YamuxConfig config;

	private final Map<Integer, SessionStream> open = new HashMap<>();

	private final Queue<SessionStream> opening = new ConcurrentLinkedQueue<>();

	private long nextId;

	private volatile int count;

	private int inbound;

	private int unacknowledgedOutbound;

	private long pendingBytes;

	StreamTable(YamuxConfig config, boolean client) {
		this.config = config;
		this.nextId = client ? 1 : 2;
	}

	/** A stream with the next id of ours, queued for {@link #openQueued}; any thread. */
	SessionStream newOutbound(YamuxSession session, YamuxStreamHandler handler) {
		// Ids are taken and queued under one lock, so that SYNs go out strictly increasing.
		synchronized (this.opening) {
			if (this.nextId > 0xFFFFFFFFL) {
				throw new IllegalStateException("yamux stream ids are exhausted");
			}
			SessionStream stream = new SessionStream(session, (int) this.nextId, false, handler);
			this.nextId += 2;
			this.opening.add(stream);
			return stream;
		}
	}

	/**
	 * Sends the SYNs of the streams opened since, or closes them when they may not open.
	 * @param refusal why the session opens no stream at all, or {@code null}
	 * @param cause the session's end, as the cause of the refusal
	 */
	void openQueued(@Nullable String refusal, @Nullable Throwable cause) {
		for (SessionStream stream = this.opening.poll(); stream != null; stream = this.opening.poll()) {
			String reason = (refusal != null) ? refusal
					: (this.open.size() >= this.config.maxStreams()) ? "maxStreams streams are open"
							: (this.unacknowledgedOutbound >= this.config.maxUnacknowledgedOutbound())
									? "maxUnacknowledgedOutbound streams await their ACK" : null;
			if (reason != null) {
				stream.finish(new YamuxStreamException(
						"cannot open stream " + Integer.toUnsignedString(stream.id()) + ": " + reason, cause));
				continue;
			}
			register(stream);
			this.unacknowledgedOutbound++;
			stream.sendFirstFrame();
		}
	}

	/** Whether the limits let one more inbound stream open. */
	boolean acceptsInbound() {
		return this.open.size() < this.config.maxStreams() && this.inbound < this.config.maxUnacknowledgedInbound();
	}

	void register(SessionStream stream) {
		this.open.put(stream.id(), stream);
		this.count = this.open.size();
		if (stream.isInbound()) {
			this.inbound++;
		}
	}

	void removed(SessionStream stream, boolean unacknowledged) {
		if (this.open.remove(stream.id(), stream)) {
			this.count = this.open.size();
			if (stream.isInbound()) {
				this.inbound--;
			}
			if (unacknowledged) {
				this.unacknowledgedOutbound--;
			}
		}
	}

	@Nullable SessionStream get(int streamId) {
		return this.open.get(streamId);
	}

	boolean registered(SessionStream stream) {
		return this.open.get(stream.id()) == stream;
	}

	List<SessionStream> all() {
		return new ArrayList<>(this.open.values());
	}

	int count() {
		return this.count;
	}

	void outboundAcknowledged() {
		this.unacknowledgedOutbound--;
	}

	void pendingBytes(long delta) {
		this.pendingBytes += delta;
	}

	boolean overPendingLimit() {
		return this.pendingBytes > this.config.maxPendingBytes();
	}

}
