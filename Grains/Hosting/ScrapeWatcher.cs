using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MultiAgentRec.Hosting;

/// <summary>
/// Notices scrapes of this process's /metrics. The Prometheus exporter collects every instrument
/// on each scrape, so an observable instrument's callback runs once per scrape: that callback is
/// the exporter's own signal that a scraper came, with no second HTTP server in front of it.
/// </summary>
public static class ScrapeWatcher
{
    private static long s_collections;
    private static long s_lastCollectionTimestamp;

    // Exported as multiagentrec_metrics_collections_total: also shows on a dashboard that scrapes arrive.
    private static readonly ObservableCounter<long> s_counter = new Meter(Telemetry.MeterName + ".Exporter", "1.0")
        .CreateObservableCounter("multiagentrec.metrics.collections", Observe, "{collection}", "Collections of this process's metrics, one per scrape.");

    /// <summary>Name of the meter to add to a MeterProvider so that its scrapes are noticed.</summary>
    public static string MeterName => s_counter.Meter.Name;

    /// <summary>Whether any scrape has happened in this process.</summary>
    public static bool ScraperSeen => Interlocked.Read(ref s_collections) > 0;

    /// <summary>A point in time to pass to <see cref="WaitForScrapeAfterAsync"/>.</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>
    /// Waits until a scrape started after <paramref name="since"/> (so it saw everything recorded
    /// before it), or until <paramref name="timeout"/>. True when such a scrape happened.
    /// </summary>
    public static async Task<bool> WaitForScrapeAfterAsync(long since, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref s_lastCollectionTimestamp) <= since)
        {
            if (Stopwatch.GetTimestamp() >= deadline) return false;
            await Task.Delay(100, cancellationToken);
        }
        return true;
    }

    private static long Observe()
    {
        Interlocked.Exchange(ref s_lastCollectionTimestamp, Stopwatch.GetTimestamp());
        return Interlocked.Increment(ref s_collections);
    }
}
