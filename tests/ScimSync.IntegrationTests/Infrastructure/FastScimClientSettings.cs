namespace ScimSync.IntegrationTests.Infrastructure;

/// <summary>SCIM client settings for tests against local emulators: short waits, one retry, no rate limit.</summary>
internal static class FastScimClientSettings
{
    public static IEnumerable<KeyValuePair<string, string?>> All { get; } = new Dictionary<string, string?>
    {
        ["ScimSync:Scim:AttemptTimeout"] = "00:00:10",
        ["ScimSync:Scim:TotalRequestTimeout"] = "00:00:30",
        ["ScimSync:Scim:MaxRetryAttempts"] = "1",
        ["ScimSync:Scim:BaseRetryDelay"] = "00:00:00.020",
        ["ScimSync:Scim:MaxRetryDelay"] = "00:00:01",
        ["ScimSync:Scim:UseJitter"] = "false",
        ["ScimSync:Scim:DefaultRequestsPerSecond"] = "1000",
    };
}
