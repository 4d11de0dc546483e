namespace BuildImages.Core.Caching;

/// <summary>
/// How to reach an <c>azblob://</c> cache, from the variables Azure's tools read: <c>AZURE_STORAGE_CONNECTION_STRING</c>
/// (a key, a SAS or Azurite's <c>UseDevelopmentStorage=true</c>), or <c>AZURE_STORAGE_ACCOUNT</c> with
/// <c>AZURE_STORAGE_KEY</c> or <c>AZURE_STORAGE_SAS_TOKEN</c>. A read-only SAS (read permission only) is the credential
/// for pull-request builds.
/// </summary>
internal sealed record AzureBlobAccess(string? ConnectionString, string? Account, string? AccountKey, string? SasToken)
{
    internal static AzureBlobAccess FromEnvironment(Func<string, string?> environment)
    {
        var connection = Value(environment, "AZURE_STORAGE_CONNECTION_STRING");
        var account = Value(environment, "AZURE_STORAGE_ACCOUNT");
        var key = Value(environment, "AZURE_STORAGE_KEY");
        var sas = Value(environment, "AZURE_STORAGE_SAS_TOKEN");
        if (connection is null && (account is null || (key is null && sas is null)))
        {
            throw new ArgumentException("an azblob:// cache needs AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN");
        }
        if (account is not null && !System.Text.RegularExpressions.Regex.IsMatch(account, "^[a-z0-9]{3,24}$"))
        {
            throw new ArgumentException($"AZURE_STORAGE_ACCOUNT must be a storage account name (3 to 24 lower-case letters and digits), not '{account}'");
        }
        return new AzureBlobAccess(connection, account, key, sas?.TrimStart('?'));
    }

    private static string? Value(Func<string, string?> environment, string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>Never prints a secret (records print every member).</summary>
    public override string ToString() => ConnectionString is not null ? "Azure Blob Storage (connection string)" : $"Azure Blob Storage account {Account}";
}
