using Microsoft.AspNetCore.Http;

namespace ScimSync.Admin.Handlers;

/// <summary>Reads a parameter a script sends in the query string, or the status page sends as a form field.</summary>
public static class AdminParameters
{
    public static async Task<string?> GetAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query.TryGetValue(name, out var query) && !string.IsNullOrEmpty(query))
        {
            return query.ToString();
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            if (form.TryGetValue(name, out var field) && !string.IsNullOrEmpty(field))
            {
                return field.ToString();
            }
        }

        return null;
    }
}
