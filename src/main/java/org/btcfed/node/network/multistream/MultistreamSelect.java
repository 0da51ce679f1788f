package org.btcfed.node.network.multistream;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.btcfed.node.network.multistream.MultistreamException.Kind;
import org.btcfed.node.network.wire.Varint;
import org.jspecify.annotations.Nullable;

/**
 * One multistream-select 1.0 negotiation, as go-multistream v0.5.0 and js-libp2p speak it, as a
 * state machine without a channel: {@link #start} gives the first bytes to send, {@link #feed}
 * takes what the peer sent and gives the answer to send, until a protocol is selected.
 * <p>
 * A message is {@code uvarint(len) || text || '\n'}, at most {@value #MAX_MESSAGE_LENGTH} bytes.
 * The initiator sends the header {@code /multistream/1.0.0} and its first proposal together;
 * each {@code na} makes it propose the next one (without a new header). The responder sends its
 * header at once (as go does; js waits for the initiator's header, which the initiator accepts
 * just the same) and answers each proposal with the same text or {@code na}. Bytes after the
 * accepting message are left unread in the buffer: they belong to the selected protocol (go's
 * lazy select sends header, protocol and data together).
 * <p>
 * Not thread-safe: one negotiation belongs to one channel's event loop.
 */
public final class MultistreamSelect {

	/** The protocol id of multistream-select itself, the header both sides send first. */
	public static final String HEADER = "/multistream/1.0.0";

	/** The refusal. */
	public static final String NA = "na";

	/** Longest message (text and newline), as go's {@code ErrTooLarge} and js's MAX_PROTOCOL_LENGTH. */
	public static final int MAX_MESSAGE_LENGTH = 1024;

	/** Unsupported proposals a responder answers {@code na} before giving up on the peer. */
	public static final int MAX_REFUSED = 16;

	private static final int QUOTE_LENGTH = 64;

	/**
	 * Where a negotiation stands after {@link #feed}.
	 */
	public enum State {

		/** Waiting for more bytes from the peer. */
		NEED_MORE,

		/** A protocol was agreed; the bytes left in the buffer belong to it. */
		SELECTED

	}

	/**
	 * What one {@link #feed} produced.
	 *
	 * @param state where the negotiation stands
	 * @param protocol the agreed protocol when {@link State#SELECTED}, else {@code null}
	 * @param toSend the bytes to send to the peer, maybe empty; the caller writes or releases them
	 */
	public record Result(State state, @Nullable String protocol, ByteBuf toSend) {
	}

	private final boolean initiator;

	private final List<String> proposals;

	private final Predicate<String> supported;

	private boolean started;

	private boolean headerReceived;

	private boolean done;

	private int proposal;

	private int refused;

	private MultistreamSelect(boolean initiator, List<String> proposals, Predicate<String> supported) {
		this.initiator = initiator;
		this.proposals = proposals;
		this.supported = supported;
	}

	/**
	 * A negotiation for the side that opened the connection or stream.
	 * @param proposals the protocols to propose, most preferred first
	 * @return the negotiation
	 * @throws IllegalArgumentException when the list is empty or a protocol id cannot be sent
	 */
	public static MultistreamSelect initiator(List<String> proposals) {
		if (proposals.isEmpty()) {
			throw new IllegalArgumentException("an initiator needs at least one protocol to propose");
		}
		for (String protocol : proposals) {
			int length = protocol.getBytes(StandardCharsets.UTF_8).length + 1;
			if (protocol.isEmpty() || protocol.indexOf('\n') >= 0 || NA.equals(protocol) || "ls".equals(protocol)
					|| HEADER.equals(protocol) || length > MAX_MESSAGE_LENGTH) {
				throw new IllegalArgumentException("'" + quote(protocol) + "' cannot be proposed");
			}
		}
		return new MultistreamSelect(true, List.copyOf(proposals), (protocol) -> false);
	}

	/**
	 * A negotiation for the side that accepted the connection or stream.
	 * @param supported which proposed protocols to accept; never asked about {@code na} or
	 * {@code ls}, which are always refused
	 * @return the negotiation
	 */
	public static MultistreamSelect responder(Predicate<String> supported) {
		return new MultistreamSelect(false, List.of(), supported);
	}

	/**
	 * The bytes to send first: the initiator's header and first proposal in one buffer, or the
	 * responder's header.
	 * @param alloc the allocator for the buffer
	 * @return the bytes, for the caller to write
	 * @throws IllegalStateException when called twice
	 */
	public ByteBuf start(ByteBufAllocator alloc) {
		if (this.started) {
			throw new IllegalStateException("the negotiation has started already");
		}
		this.started = true;
		ByteBuf out = alloc.buffer();
		writeMessage(out, HEADER);
		if (this.initiator) {
			writeMessage(out, this.proposals.get(0));
		}
		return out;
	}

	/**
	 * Consumes as many whole messages from the peer as there are, up to the one that selects a
	 * protocol; what follows that stays in {@code in}.
	 * @param in the bytes received; its reader index moves past the messages consumed
	 * @param alloc the allocator for the answer
	 * @return the state and the bytes to send now
	 * @throws MultistreamException when the peer's bytes are invalid or no protocol is agreed;
	 * the negotiation is then over
	 * @throws IllegalStateException before {@link #start} or after the negotiation ended
	 */
	public Result feed(ByteBuf in, ByteBufAllocator alloc) {
		if (!this.started || this.done) {
			throw new IllegalStateException(this.done ? "the negotiation is over" : "start() was not called");
		}
		ByteBuf out = null;
		try {
			String message;
			while ((message = readMessage(in)) != null) {
				if (!this.headerReceived) {
					if (!HEADER.equals(message)) {
						throw fail(Kind.BAD_HEADER, "expected '" + HEADER + "' first, was '" + quote(message) + "'");
					}
					this.headerReceived = true;
					continue;
				}
				String reply = this.initiator ? onAnswer(message) : onProposal(message);
				if (reply != null) {
					out = (out != null) ? out : alloc.buffer();
					writeMessage(out, reply);
				}
				if (this.done) {
					return new Result(State.SELECTED, message, orEmpty(out));
				}
			}
			return new Result(State.NEED_MORE, null, orEmpty(out));
		}
		catch (RuntimeException ex) {
			this.done = true;
			if (out != null) {
				out.release();
			}
			throw ex;
		}
	}

	/** The initiator's step: the next proposal to send, or {@code null}. */
	private @Nullable String onAnswer(String answer) {
		String proposed = this.proposals.get(this.proposal);
		if (answer.equals(proposed)) {
			this.done = true;
			return null;
		}
		if (!NA.equals(answer)) {
			throw fail(Kind.MALFORMED, "expected '" + quote(proposed) + "' or 'na', was '" + quote(answer) + "'");
		}
		this.proposal++;
		if (this.proposal == this.proposals.size()) {
			throw fail(Kind.NOT_SUPPORTED, "the peer supports none of " + this.proposals);
		}
		return this.proposals.get(this.proposal);
	}

	/** The responder's step: the echo or {@code na}. */
	private String onProposal(String proposed) {
		if (!NA.equals(proposed) && !"ls".equals(proposed) && this.supported.test(proposed)) {
			this.done = true;
			return proposed;
		}
		this.refused++;
		if (this.refused > MAX_REFUSED) {
			throw fail(Kind.NOT_SUPPORTED,
					"the peer proposed more than " + MAX_REFUSED + " unsupported protocols, last '" + quote(proposed) + "'");
		}
		return NA;
	}

	/** One message's text without its newline, or {@code null} when it has not fully arrived. */
	private static @Nullable String readMessage(ByteBuf in) {
		ByteBuf payload;
		try {
			payload = Varint.readLengthPrefixed(in, MAX_MESSAGE_LENGTH);
		}
		catch (TooLongFrameException ex) {
			throw new MultistreamException(Kind.TOO_LONG,
					"multistream message longer than " + MAX_MESSAGE_LENGTH + " bytes", ex);
		}
		catch (CorruptedFrameException ex) {
			throw new MultistreamException(Kind.MALFORMED, "bad multistream length prefix: " + ex.getMessage(), ex);
		}
		if (payload == null) {
			return null;
		}
		try {
			int length = payload.readableBytes();
			if (length == 0 || payload.getByte(payload.readerIndex() + length - 1) != '\n') {
				throw fail(Kind.MALFORMED, "multistream message does not end in a newline");
			}
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(payload.nioBuffer(payload.readerIndex(), length - 1))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new MultistreamException(Kind.MALFORMED, "multistream message is not UTF-8", ex);
		}
		finally {
			payload.release();
		}
	}

	private static void writeMessage(ByteBuf out, String text) {
		int length = ByteBufUtil.utf8Bytes(text) + 1;
		Varint.write(out, length);
		out.writeCharSequence(text, StandardCharsets.UTF_8);
		out.writeByte('\n');
	}

	private static ByteBuf orEmpty(@Nullable ByteBuf out) {
		return (out != null) ? out : Unpooled.EMPTY_BUFFER;
	}

	private static MultistreamException fail(Kind kind, String message) {
		return new MultistreamException(kind, message);
	}

	/** A peer's text as it may appear in a message: short, without control characters. */
	static String quote(String text) {
		String shown = (text.length() > QUOTE_LENGTH) ? text.substring(0, QUOTE_LENGTH) + "..." : text;
		StringBuilder quoted = new StringBuilder(shown.length());
		shown.codePoints().forEach((c) -> quoted.appendCodePoint(Character.isISOControl(c) ? '?' : c));
		return quoted.toString();
	}

}
