package io.flyover.tools.lab;

/**
 * A lab step failed: a command exited non-zero, a process did not come up, a device never
 * appeared. The message names the step and carries what the command printed.
 */
public final class LabException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, for the operator.
     */
    public LabException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed, for the operator.
     * @param cause   the underlying failure.
     */
    public LabException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
