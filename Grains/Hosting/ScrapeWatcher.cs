using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MultiAgentRec.Hosting;

/// <summary>
/// Notices scrapes of one /metrics endpoint. The Prometheus exporter collects every instrument on
/// each scrape, so an observable instrument's callback runs once per scrape: that callback is the
/// exporter's own signal that a scraper came, with no second HTTP server in front of it. Each
/// endpoint gets its own meter (named after its port) that only its MeterProvider listens to, so
/// two silos in one process (tests) never see each other's scrapes.
/// </summary>
public sealed class ScrapeWatcher : IDisposable
{
    private readonly Meter _meter;
    private long _collections;
    private long _lastCollectionTimestamp;

    public ScrapeWatcher(int port)
    {
        _meter = new Meter(MeterNameFor(port), "1.0");
        // Exported as multiagentrec_metrics_collections_total: also shows on a dashboard that scrapes arrive.
        _meter.CreateObservableCounter("multiagentrec.metrics.collections", Observe, "{collection}", "Collections of this process's metrics, one per scrape.");
    }

    /// <summary>The meter a MeterProvider must add to report to the watcher of the endpoint on <paramref name="port"/>.</summary>
    public static string MeterNameFor(int port) => $"{Telemetry.MeterName}.Exporter.{port}";

    /// <summary>Whether any scrape has happened.</summary>
    public bool ScraperSeen => Interlocked.Read(ref _collections) > 0;

    /// <summary>A point in time to pass to <see cref="WaitForScrapeAfterAsync"/>.</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>
    /// Waits until a scrape started after <paramref name="since"/> (so it saw everything recorded
    /// before it), or until <paramref name="timeout"/>. True when such a scrape happened.
    /// </summary>
    public async Task<bool> WaitForScrapeAfterAsync(long since, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _lastCollectionTimestamp) <= since)
        {
            if (Stopwatch.GetTimestamp() >= deadline) return false;
            await Task.Delay(100, cancellationToken);
        }
        return true;
    }

    public void Dispose() => _meter.Dispose();

    private long Observe()
    {
        Interlocked.Exchange(ref _lastCollectionTimestamp, Stopwatch.GetTimestamp());
        return Interlocked.Increment(ref _collections);
    }
}
