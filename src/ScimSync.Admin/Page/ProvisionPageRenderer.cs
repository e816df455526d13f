using ScimSync.Core.Admin;

namespace ScimSync.Admin.Page;

/// <summary>
/// The page the status page's "Provision on demand" button leads to: the scope verdict, each step and the change
/// sent, as Entra's provision-on-demand pane shows them, with a way back.
/// </summary>
public static class ProvisionPageRenderer
{
    public static string Render(OnDemandProvisioning result, PageLinks links)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(links);
        var name = result.DisplayName ?? result.SourceId.Value;
        var html = new HtmlText();
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Raw("<title>").Text($"Provision on demand: {name} · ScimSync").Raw("</title>\n")
            .Raw("<style>").Raw(PageAssets.Style).Raw("</style>\n</head>\n<body>\n")
            .Raw("<header><h1>Provision on demand</h1><p><a").Raw(HtmlText.Attribute("href", links.Page())).Raw(">Back to the status page</a></p></header>\n<main>\n")
            .Raw("<section class=\"job\" aria-labelledby=\"object-title\"><div class=\"job-head\"><h2 id=\"object-title\">")
            .Text((result.Kind?.ToString() ?? "Object") + " " + name).Raw("</h2>")
            .Raw("<span").Raw(HtmlText.Attribute("class", "badge " + Badge(result.Result))).Raw(" data-result>").Text(result.Result.ToString()).Raw("</span></div>\n")
            .Raw("<p data-message>").Text(result.Message).Raw("</p>\n")
            .Raw("<dl class=\"facts\"><dt>Job</dt><dd>").Text(result.Job.Value).Raw("</dd><dt>Object id</dt><dd>").Text(result.SourceId.Value)
            .Raw("</dd><dt>Scope</dt><dd>").Text(result.Scope).Raw("</dd></dl>\n");

        if (result.Steps.Count > 0)
        {
            html.Raw("<div class=\"scroll\"><table><caption>Work done</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">operation</th><th scope=\"col\">result</th><th scope=\"col\">why</th></tr></thead><tbody>\n");
            var number = 1;
            foreach (var step in result.Steps)
            {
                html.Raw("<tr>").Element("td", (number++).ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Element("td", step.Operation.ToString()).Element("td", step.Result.ToString()).Element("td", step.Reason ?? "-").Raw("</tr>\n");
            }

            html.Raw("</tbody></table></div>\n");
        }

        foreach (var entry in result.LogEntries)
        {
            html.Raw("<h3>").Text($"{entry.Action} {entry.Status}").Raw("</h3>\n")
                .Raw("<div class=\"scroll\"><table><caption>Steps</caption><thead><tr><th scope=\"col\">step</th><th scope=\"col\">result</th><th scope=\"col\">what happened</th></tr></thead><tbody>\n");
            foreach (var step in entry.Steps)
            {
                html.Raw("<tr>").Element("td", step.Type.ToString()).Element("td", step.Status.ToString()).Element("td", step.Description).Raw("</tr>\n");
            }

            html.Raw("</tbody></table></div>\n");
            if (entry.ModifiedProperties.Count > 0)
            {
                html.Raw("<div class=\"scroll\"><table><caption>Attributes changed</caption><thead><tr><th scope=\"col\">attribute</th><th scope=\"col\">old</th><th scope=\"col\">new</th></tr></thead><tbody>\n");
                foreach (var property in entry.ModifiedProperties)
                {
                    html.Raw("<tr>").Element("td", property.DisplayName).Element("td", property.OldValue ?? "-").Element("td", property.NewValue ?? "-").Raw("</tr>\n");
                }

                html.Raw("</tbody></table></div>\n");
            }

            if (entry.Error is { } error)
            {
                html.Raw("<p class=\"reason\"><strong>").Text(error.ErrorCode).Raw(":</strong> ").Text(error.Reason).Raw("</p>\n");
                if (error.RecommendedAction is { } action)
                {
                    html.Raw("<p class=\"todo\"><strong>What to do:</strong> ").Text(action).Raw("</p>\n");
                }
            }
        }

        if (result.MembersNotYetProvisioned.Count > 0)
        {
            html.Raw("<p>").Number(result.MembersNotYetProvisioned.Count)
                .Raw(" member(s) of the group are not provisioned yet; the next cycle adds them: ")
                .Text(string.Join(", ", result.MembersNotYetProvisioned.Take(20).Select(id => id.Value)))
                .Raw(result.MembersNotYetProvisioned.Count > 20 ? " …" : string.Empty).Raw("</p>\n");
        }

        return html.Raw("</section>\n</main>\n</body>\n</html>\n").ToString();
    }

    private static string Badge(OnDemandResult result) => result switch
    {
        OnDemandResult.Succeeded => "badge-Active",
        OnDemandResult.NotInScope or OnDemandResult.NotFound or OnDemandResult.Held => "badge-Paused",
        _ => "badge-Quarantined",
    };
}
