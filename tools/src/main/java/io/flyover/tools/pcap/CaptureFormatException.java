package io.flyover.tools.pcap;

/**
 * A capture file that cannot be read: not a capture, truncated, inconsistent, or of an
 * unsupported kind. The message is one line, fit to print as is.
 */
public final class CaptureFormatException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where, one line.
     */
    public CaptureFormatException(final String message)
    {
        super(message);
    }
}
