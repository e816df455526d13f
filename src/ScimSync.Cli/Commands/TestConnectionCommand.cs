using System.CommandLine;
using ScimSync.Cli.Hosting;
using ScimSync.Core.Scim;
using Spectre.Console;

namespace ScimSync.Cli.Commands;

/// <summary><c>scimsync test-connection</c>: asks each job's SCIM target a harmless query with the job's token.</summary>
public static class TestConnectionCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var job = CommonOptions.Job();
        var command = new Command("test-connection", "Check that each job's SCIM target answers with the configured token (a query for a user that cannot exist; nothing is written).")
        {
            job,
        };
        command.SetSessionAction(environment, async (session, parseResult, cancellationToken) =>
        {
            var failed = 0;
            var factory = session.Get<ScimClientFactory>();
            foreach (var selected in session.SelectJobs(parseResult.GetValue(job)))
            {
                var client = factory.Create(selected.Id, selected.Definition.Target, settingPath: selected.SettingPath + ".target");
                var result = await client.TestConnectionAsync(cancellationToken);
                var target = Markup.Escape(selected.Definition.Target.BaseUrl?.ToString() ?? string.Empty);
                if (result.Succeeded)
                {
                    session.Output.MarkupLineInterpolated($"[green]OK[/]     {selected.Id.Value}: {target} - {result.Reason}");
                    continue;
                }

                failed++;
                var trace = result.TraceId is { } id ? $" (trace id {id})" : string.Empty;
                session.Output.MarkupLine($"[red]FAILED[/] {Markup.Escape(selected.Id.Value)}: {target} - {Markup.Escape(result.Reason + trace)}");
            }

            return failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
