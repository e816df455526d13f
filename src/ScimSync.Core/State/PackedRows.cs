using System.Text;
using Azure.Data.Tables;

namespace ScimSync.Core.State;

/// <summary>
/// Many short entries packed into the string property of as few rows as Table Storage allows, for state that is read
/// and written whole (a job's source memberships, its assignment snapshot): a thousand rows of one entry each become
/// one or two, read in one page and written in one transaction.
/// </summary>
internal static class PackedRows
{
    /// <summary>The property that holds a row's entries, each ended by a line feed.</summary>
    public const string Property = "Entries";

    /// <summary>
    /// The most characters one row packs. Table Storage takes 64 KiB per string property, stored as UTF-16, so
    /// 32,768 characters; this leaves room below it.
    /// </summary>
    public const int MaxChars = 30_000;

    // A transaction carries at most 4 MiB; at up to six bytes a character once escaped, this keeps it below that.
    private const int MaxTransactionChars = 600_000;

    /// <summary>The entries, in order, in strings of at most <see cref="MaxChars"/> characters, each built as it is enumerated.</summary>
    /// <exception cref="ArgumentException">An entry holds a line feed or is longer than a row.</exception>
    public static IEnumerable<string> Pack(IEnumerable<string> entries)
    {
        var row = new StringBuilder();
        foreach (var entry in entries)
        {
            if (entry.Contains('\n', StringComparison.Ordinal) || entry.Length + 1 > MaxChars)
            {
                throw new ArgumentException($"An entry of {entry.Length:N0} characters cannot be packed.", nameof(entries));
            }

            if (row.Length + entry.Length + 1 > MaxChars)
            {
                yield return row.ToString();
                row.Clear();
            }

            row.Append(entry).Append('\n');
        }

        if (row.Length > 0)
        {
            yield return row.ToString();
        }
    }

    /// <summary>The entries of one row's <see cref="Property"/>.</summary>
    public static string[] Unpack(string packed) => packed.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Upserts rows of one partition in transactions of at most 100 rows and 4 MiB.</summary>
    public static async Task UpsertAsync(TableClient table, IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        var batch = new List<TableTransactionAction>();
        var chars = 0;
        foreach (var row in rows)
        {
            var length = row.GetString(Property)?.Length ?? 0;
            if (batch.Count == 100 || (batch.Count > 0 && chars + length > MaxTransactionChars))
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                batch = [];
                chars = 0;
            }

            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            chars += length;
        }

        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }
}
