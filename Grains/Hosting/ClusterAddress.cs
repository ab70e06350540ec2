namespace MultiAgentRec.Hosting;

/// <summary>Reads the cluster address users type: "redis://HOST:PORT" (the scheme may be left out).</summary>
public static class ClusterAddress
{
    /// <summary>"HOST:PORT" for StackExchange.Redis, or null for no address; throws on an address that is not Redis.</summary>
    public static string? RedisEndpoint(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return null;
        var text = address.Trim();
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)) text = text["redis://".Length..].TrimEnd('/');
        else if (text.Contains("://", StringComparison.Ordinal))
            throw new InvalidOperationException($"cluster address '{address}' is not redis://HOST:PORT (the only clustering provider besides localhost)");
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new InvalidOperationException($"cluster address '{address}' is not redis://HOST:PORT (for example redis://127.0.0.1:6379)");
        return text;
    }
}
