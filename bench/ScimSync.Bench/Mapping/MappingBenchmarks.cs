using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Reports;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping;

namespace ScimSync.Bench.Mapping;

/// <summary>
/// Maps a page of 10,000 users with the Atlassian defaults plus five expression mappings. Each benchmark maps the
/// whole page and counts as ten operations, so the Mean column is the time per 1,000 users.
/// </summary>
[MemoryDiagnoser]
public class MappingBenchmarks
{
    public const int PageSize = 10_000;
    private const int OperationsPerPage = PageSize / 1_000;

    private IReadOnlyList<SourceObject> _users = [];
    private CompiledJobMappings _mappings = null!;
    private MappingEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _users = SyntheticDirectory.Users(PageSize);
        _mappings = new MappingValidator().Validate(new JobId("bench"), 0, DefaultMappings.AtlassianCloud, new JobMappingsConfiguration
        {
            Users =
            [
                AttributeMapping.FromExpression("ToLower(NormalizeDiacritics(Join(\".\", [givenName], [surname])))", "nickName"),
                AttributeMapping.FromExpression("Redact([employeeId])", DefaultMappings.EnterpriseUser + ":employeeNumber"),
                AttributeMapping.FromExpression("Replace([mobilePhone], \" \", , , \"\", , )", "phoneNumbers[type eq \"mobile\"].value"),
                AttributeMapping.FromExpression("Switch([usageLocation], \"en-US\", \"DE\", \"de-DE\", \"GB\", \"en-GB\")", "preferredLanguage"),
                AttributeMapping.FromExpression("IIF(Count([proxyAddresses]) > 1, Item([proxyAddresses], 2), Coalesce([companyName], \"Contoso\"))", "userType"),
            ],
        }).GetMappingsOrThrow();
        _engine = new MappingEngine(TimeProvider.System);

        // Benchmarks run in-process, so the first one would otherwise also pay for tiered JIT compilation of the
        // code the others then reuse.
        for (var i = 0; i < 5; i++)
        {
            MapPage(isCreate: i % 2 == 0);
            PreviewPage();
        }
    }

    [Benchmark(Description = "create: map 10,000 users", OperationsPerInvoke = OperationsPerPage)]
    public int MapPageForCreate() => MapPage(isCreate: true);

    [Benchmark(Description = "update: map 10,000 users", OperationsPerInvoke = OperationsPerPage)]
    public int MapPageForUpdate() => MapPage(isCreate: false);

    [Benchmark(Description = "preview: 10,000 users", OperationsPerInvoke = OperationsPerPage)]
    public int PreviewPage()
    {
        var entries = 0;
        foreach (var user in _users)
        {
            entries += _engine.Preview(user, _mappings, isCreate: true).Entries.Count;
        }

        return entries;
    }

    private int MapPage(bool isCreate)
    {
        var attributes = 0;
        foreach (var user in _users)
        {
            var result = _engine.Map(user, _mappings, isCreate);
            attributes += result.Succeeded ? result.Attributes.Count : -1_000_000;
        }

        return attributes;
    }

    /// <summary>Prints the headline figure: milliseconds per 1,000 users against the 50 ms target.</summary>
    internal static void Summarize(Summary summary)
    {
        Console.WriteLine();
        Console.WriteLine("| benchmark | ms per 1,000 users (mean) | median | fastest | target 50 ms |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var report in summary.Reports)
        {
            if (report.ResultStatistics is not { } stats)
            {
                Console.WriteLine($"| {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} | failed | | | |");
                continue;
            }

            // The statistics are per operation, and one operation is 1,000 users.
            var mean = stats.Mean / 1_000_000;
            var verdict = mean < 50 ? "met" : "missed";
            Console.WriteLine($"| {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} | {mean:F1} | {stats.Median / 1_000_000:F1} | {stats.Min / 1_000_000:F1} | {verdict} |");
        }
    }
}
