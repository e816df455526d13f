using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Tests.Queueing;

internal static class WorkItems
{
    public static readonly JobId Job = new("atlassian-prod");
    public static readonly DateTimeOffset At = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static SourceObject User(string id, string json = """{"userPrincipalName":"adele@contoso.com","accountEnabled":true,"displayName":"Adele Vance"}""") =>
        SourceObject.Create(new SourceId(id), ObjectKind.User, JsonDocument.Parse(json).RootElement.EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())));
}
