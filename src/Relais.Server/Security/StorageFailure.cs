namespace Relais.Server.Security;

/// <summary>
/// What a job that could not keep its output (artifact or log: the blob store is full) fails with. GitLab uses
/// <c>data_integrity_failure</c> when a job's stored data is not whole; that is the case here.
/// </summary>
internal static class StorageFailure
{
    public const string Reason = "data_integrity_failure";
}
