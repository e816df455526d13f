namespace ScimSync.Core.State;

/// <summary>Where ScimSync keeps its state: an Azure Storage account's Table service.</summary>
public sealed class StateStorageOptions
{
    /// <summary>The configuration section these options bind to by default.</summary>
    public const string DefaultSectionPath = "ScimSync:State";

    /// <summary>A storage connection string (local development, Azurite). Set this or <see cref="TableServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The Table service endpoint, e.g. <c>https://account.table.core.windows.net</c>, reached with managed
    /// identity (DefaultAzureCredential). Set this or <see cref="ConnectionString"/>.
    /// </summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>
    /// Put before every table name so several installations can share one account: letters and digits, starting
    /// with a letter, at most 40 characters.
    /// </summary>
    public string TablePrefix { get; set; } = "ScimSync";
}
