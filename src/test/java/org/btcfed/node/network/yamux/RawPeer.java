package org.btcfed.node.network.yamux;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;

/**
 * One session on an {@link EmbeddedChannel}, driven by hand-written frames: the test plays the
 * remote byte by byte and reads what the session wrote as hex.
 */
class RawPeer implements AutoCloseable {

	final YamuxSession session;

	final EmbeddedChannel channel;

	final SessionEnd end = new SessionEnd();

	final List<RecordingHandler> accepted = new ArrayList<>();

	RawPeer(boolean client, YamuxConfig config) {
		this.session = new YamuxSession(client, config, SessionPair.recording(this.accepted));
		this.channel = new EmbeddedChannel(this.session, this.end);
	}

	RawPeer(boolean client, YamuxConfig config, Function<YamuxStream, @Nullable YamuxStreamHandler> acceptor) {
		this.session = new YamuxSession(client, config, acceptor);
		this.channel = new EmbeddedChannel(this.session, this.end);
	}

	/** A frame: header fields, then data bytes given as hex (spaces allowed). */
	static ByteBuf frame(int type, int flags, int streamId, long length, String dataHex) {
		ByteBuf frame = Unpooled.buffer();
		frame.writeByte(0).writeByte(type).writeShort(flags).writeInt(streamId).writeInt((int) length);
		frame.writeBytes(hex(dataHex));
		return frame;
	}

	static ByteBuf frame(int type, int flags, int streamId, long length) {
		return frame(type, flags, streamId, length, "");
	}

	static byte[] hex(String hex) {
		return HexFormat.of().parseHex(hex.replace(" ", ""));
	}

	/** Feeds bytes as one read; returns them for a later refCnt check. */
	ByteBuf receive(ByteBuf bytes) {
		this.channel.writeInbound(bytes);
		return bytes;
	}

	/** Everything written and flushed so far, as spaced hex in groups of the header's fields. */
	String sent() {
		this.channel.runPendingTasks();
		StringBuilder out = new StringBuilder();
		for (ByteBuf frame = this.channel.readOutbound(); frame != null; frame = this.channel.readOutbound()) {
			out.append(ByteBufUtil.hexDump(frame));
			frame.release();
		}
		return spaced(out.toString());
	}

	static String spaced(String hex) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < hex.length(); i += 2) {
			if (i > 0) {
				out.append(' ');
			}
			out.append(hex, i, i + 2);
		}
		return out.toString();
	}

	/** Every frame written since, decoded as "type/flags/id/length" with the data skipped. */
	List<String> sentHeaders() {
		this.channel.runPendingTasks();
		List<String> headers = new ArrayList<>();
		ByteBuf all = Unpooled.buffer();
		for (ByteBuf frame = this.channel.readOutbound(); frame != null; frame = this.channel.readOutbound()) {
			all.writeBytes(frame);
			frame.release();
		}
		while (all.isReadable()) {
			all.skipBytes(1);
			int type = all.readUnsignedByte();
			int flags = all.readUnsignedShort();
			long id = all.readUnsignedInt();
			long length = all.readUnsignedInt();
			headers.add(type + "/" + flags + "/" + id + "/" + length);
			if (type == 0) {
				all.skipBytes((int) length);
			}
		}
		all.release();
		return headers;
	}

	@Override
	public void close() {
		this.channel.finishAndReleaseAll();
	}

}
