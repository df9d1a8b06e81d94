package io.flyover.tools.demo;

import java.util.List;

/**
 * A POP of the demo's world, at a real city (coordinates of the city centre, degrees).
 *
 * @param id   POP id.
 * @param code short name.
 * @param name city.
 * @param lat  latitude, degrees north.
 * @param lon  longitude, degrees east.
 */
public record DemoCity(int id, String code, String name, double lat, double lon)
{
    /** Mean Earth radius, km. */
    public static final double EARTH_RADIUS_KM = 6371.0;

    /** The region: the POP in front of the backends. */
    public static final int REGION = 1;

    /** The demo's POPs; the first is the region. */
    public static final List<DemoCity> ALL = List.of(
        new DemoCity(1, "FRA", "Frankfurt", 50.1109, 8.6821),
        new DemoCity(2, "LON", "London", 51.5074, -0.1278),
        new DemoCity(3, "NYC", "New York", 40.7128, -74.0060),
        new DemoCity(4, "SAO", "Sao Paulo", -23.5505, -46.6333),
        new DemoCity(5, "MUM", "Mumbai", 19.0760, 72.8777),
        new DemoCity(6, "SIN", "Singapore", 1.3521, 103.8198),
        new DemoCity(7, "TYO", "Tokyo", 35.6762, 139.6503),
        new DemoCity(8, "SYD", "Sydney", -33.8688, 151.2093));

    /**
     * @param id a POP id.
     * @return its city.
     */
    public static DemoCity of(final int id)
    {
        return ALL.get(id - 1);
    }

    /**
     * Great-circle distance (haversine on a sphere of the mean Earth radius).
     *
     * @param other another city.
     * @return the distance in km.
     */
    public double distanceKm(final DemoCity other)
    {
        final double p1 = Math.toRadians(lat);
        final double p2 = Math.toRadians(other.lat);
        final double dp = p2 - p1;
        final double dl = Math.toRadians(other.lon - lon);
        final double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }
}
