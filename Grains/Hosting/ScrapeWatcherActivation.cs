using Microsoft.Extensions.Hosting;

namespace MultiAgentRec.Hosting;

/// <summary>Creates the <see cref="ScrapeWatcher"/> as the host starts, so that its meter exists before the first scrape.</summary>
internal sealed class ScrapeWatcherActivation(ScrapeWatcher watcher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(watcher.ScraperSeen);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
