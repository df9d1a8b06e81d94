package io.flyover.tools.config;

import java.util.Collection;

/**
 * "Did you mean" for misspelt keys: the closest known key by edit distance, if close enough.
 */
final class Suggestions
{
    private Suggestions()
    {
    }

    /**
     * The known word nearest to a typo.
     *
     * @param typo  what was written.
     * @param known the words allowed there.
     * @return the nearest known word within a distance of a third of its length (at least 1, at
     * most 3), or {@code null}.
     */
    static String nearest(final String typo, final Collection<String> known)
    {
        if (typo.length() > 64)
        {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = distance(typo.toLowerCase(java.util.Locale.ROOT), candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        if (null == best)
        {
            return null;
        }
        final int allowed = Math.min(3, Math.max(1, best.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of
     * neighbours each cost 1.
     */
    static int distance(final String a, final String b)
    {
        final int n = a.length();
        final int m = b.length();
        final int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int value = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    value = Math.min(value, d[i - 2][j - 2] + 1);
                }
                d[i][j] = value;
            }
        }
        return d[n][m];
    }
}
