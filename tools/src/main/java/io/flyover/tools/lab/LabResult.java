package io.flyover.tools.lab;

import java.util.List;
import java.util.Locale;

/**
 * What {@code flyover lab test} found.
 *
 * @param curlOk       curl from the client to the VIP got the backend's page.
 * @param clientIpSeen the backend's access log shows the client's own address for that request.
 * @param downloadOk   a 50 MB download arrived whole with the right SHA-256.
 * @param failoverOk   a rate-limited download ran over A→C, moved to A→B→C when the A–C link was
 *                     silently cut, and arrived whole with the right SHA-256.
 * @param failoverMs   from the cut being in place to the first tunnel packet with download payload
 *                     arriving at A from B; -1 when none arrived.
 * @param details      one line per check, for people.
 */
public record LabResult(
    boolean curlOk, boolean clientIpSeen, boolean downloadOk, boolean failoverOk, long failoverMs, List<String> details)
{
    /**
     * @return whether every check passed.
     */
    public boolean passed()
    {
        return curlOk && clientIpSeen && downloadOk && failoverOk;
    }

    /**
     * @return the result as one JSON object.
     */
    public String toJson()
    {
        return String.format(Locale.ROOT,
            "{\"curl_ok\":%b,\"client_ip_seen\":%b,\"download_ok\":%b,\"failover_ok\":%b,\"failover_ms\":%d}",
            curlOk, clientIpSeen, downloadOk, failoverOk, failoverMs);
    }
}
