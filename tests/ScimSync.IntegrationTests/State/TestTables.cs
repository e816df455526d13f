using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ScimSync.Core.State;
using ScimSync.Core.State.Escrow;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

/// <summary>State tables with a fresh prefix per test, so tests sharing one Azurite never see each other's rows.</summary>
internal static class TestTables
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static StateTables Create(AzuriteFixture azurite) =>
        new(new TableServiceClient(azurite.ConnectionString), "T" + Guid.NewGuid().ToString("N")[..12]);

    public static FakeTimeProvider Clock() => new(Start);

    public static EscrowPolicy Escrow(TimeProvider clock, EscrowPolicyOptions? options = null) =>
        new(Options.Create(options ?? new EscrowPolicyOptions()), clock);
}
