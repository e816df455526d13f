using System.Text.Json;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Reconciliation;

/// <summary>
/// Trusts outcomes, not status codes: compares what the target returned with what was sent, so an attribute the
/// target silently dropped or changed is not recorded as applied (and is sent again, or surfaced, next time).
/// </summary>
public static class ReturnedAttributeCheck
{
    /// <summary>
    /// The sent paths whose value the target did not keep, with what it returned instead (null when it dropped the
    /// attribute). A sent JSON null (a clear) is kept when the target returned nothing for the path.
    /// </summary>
    public static IReadOnlyList<(string Path, JsonElement Sent, JsonElement? Returned)> Differences(ScimAttributes sent, ScimAttributes returned)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(returned);
        var differences = new List<(string, JsonElement, JsonElement?)>();
        foreach (var (path, value) in sent.Values)
        {
            var answer = returned[path];
            if (value.ValueKind == JsonValueKind.Null)
            {
                if (answer is { ValueKind: not JsonValueKind.Null })
                {
                    differences.Add((path, value, answer));
                }

                continue;
            }

            if (answer is not { } kept || !JsonElement.DeepEquals(kept, value))
            {
                differences.Add((path, value, answer));
            }
        }

        return differences;
    }

    /// <summary>
    /// What may be recorded as applied: <paramref name="desired"/>, except that a path the target did not keep takes
    /// the value it had before (<paramref name="before"/>), or is left out.
    /// </summary>
    public static ScimAttributes Confirmed(ScimAttributes before, ScimAttributes desired, IEnumerable<string> notKept)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(desired);
        var confirmed = desired;
        foreach (var path in notKept)
        {
            confirmed = before[path] is { } previous ? confirmed.With(path, previous) : confirmed.Without(path);
        }

        return confirmed;
    }
}
