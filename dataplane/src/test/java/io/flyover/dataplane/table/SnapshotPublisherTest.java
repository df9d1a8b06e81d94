package io.flyover.dataplane.table;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SnapshotPublisherTest
{
    record Snapshot(long version, long[] filled)
    {
    }

    @Test
    void shouldReturnTheLastPublishedSnapshot()
    {
        final Snapshot first = new Snapshot(1, new long[0]);
        final Snapshot second = new Snapshot(2, new long[0]);
        final SnapshotPublisher<Snapshot> publisher = new SnapshotPublisher<>(first);
        assertSame(first, publisher.current());
        publisher.publish(second);
        assertSame(second, publisher.current());
        assertThrows(NullPointerException.class, () -> publisher.publish(null));
    }

    @Test
    void shouldLetAReaderSeeOnlyWholeSnapshotsInOrder() throws InterruptedException
    {
        final int versions = 20_000;
        final SnapshotPublisher<Snapshot> publisher = new SnapshotPublisher<>(snapshot(0));
        final AtomicReference<String> problem = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            long last = 0;
            while (last < versions)
            {
                final Snapshot snapshot = publisher.current();
                if (snapshot.version() < last)
                {
                    problem.set("went back from " + last + " to " + snapshot.version());
                    return;
                }
                for (final long value : snapshot.filled())
                {
                    if (value != snapshot.version())
                    {
                        problem.set("saw a partly built snapshot " + snapshot.version());
                        return;
                    }
                }
                last = snapshot.version();
            }
        });
        reader.start();
        for (int v = 1; v <= versions; v++)
        {
            publisher.publish(snapshot(v));
        }
        reader.join(30_000);
        assertNull(problem.get());
        assertEquals(versions, publisher.current().version());
    }

    private static Snapshot snapshot(final long version)
    {
        final long[] filled = new long[16];
        java.util.Arrays.fill(filled, version);
        return new Snapshot(version, filled);
    }
}
