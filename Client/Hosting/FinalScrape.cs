using MultiAgentRec.Hosting;

namespace MultiAgentRec.Client.Hosting;

/// <summary>
/// Keeps an embedded run's /metrics up until a scraper has read the last round's figures: the
/// process would otherwise exit between two scrapes and Prometheus would never see how the run ended.
/// </summary>
public static class FinalScrape
{
    /// <summary>
    /// When this process serves /metrics and a scraper came during the run, waits (at most
    /// <paramref name="maxSeconds"/>) for one scrape that starts after now. Without a scraper nobody
    /// is waiting for the figures, so it returns at once.
    /// </summary>
    public static async Task AwaitAsync(ClusterConnection cluster, int maxSeconds, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (cluster.Scrapes is not { ScraperSeen: true } scrapes || maxSeconds <= 0) return;
        var since = ScrapeWatcher.Now();
        stderr.WriteLine($"Waiting up to {maxSeconds} s for a last scrape of /metrics (--scrape-wait 0 skips this)...");
        if (!await scrapes.WaitForScrapeAfterAsync(since, TimeSpan.FromSeconds(maxSeconds), cancellationToken))
            stderr.WriteLine($"warning: no scrape came within {maxSeconds} s; the scraper misses the last figures of this run.");
    }
}
