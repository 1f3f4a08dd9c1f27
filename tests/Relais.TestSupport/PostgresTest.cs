namespace Relais.TestSupport;

/// <summary>The PostgreSQL server the tests may use: <c>RELAIS_TEST_POSTGRES</c>, set by <c>./scripts/test</c> (scripts/postgres.sh).</summary>
public static class PostgresTest
{
    /// <summary>The environment variable holding the connection string.</summary>
    public const string Variable = "RELAIS_TEST_POSTGRES";

    /// <summary>A connection string whose role may <c>CREATE DATABASE</c>, or null when none is given.</summary>
    public static string? Connection => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Why the PostgreSQL tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Connection is null
        ? $"PostgreSQL tests need {Variable} (a connection string whose role may CREATE DATABASE); ./scripts/test sets it by starting scripts/postgres.sh"
        : null;
}

/// <summary>A fact that needs PostgreSQL: skipped, saying how to enable it, when <c>RELAIS_TEST_POSTGRES</c> is unset.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when PostgreSQL is not given.</summary>
    public PostgresFactAttribute()
    {
        if (PostgresTest.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
