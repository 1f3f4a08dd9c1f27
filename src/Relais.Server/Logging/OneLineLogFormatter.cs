using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Relais.Protocol;

namespace Relais.Server.Logging;

/// <summary>
/// The server's console log format: one line per entry (<c>warn: Category[id] message exception</c>), with the
/// message and the exception passed through <see cref="LogText.Safe"/>, so text from a request (a path, a
/// header, a job name in an exception's message) can neither add lines nor send terminal escapes.
/// </summary>
internal sealed class OneLineLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "relais-one-line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write($"{Level(logEntry.LogLevel)}: {LogText.Safe(logEntry.Category)}[{logEntry.EventId.Id}] {LogText.Safe(message)}");
        if (logEntry.Exception is not null)
        {
            textWriter.Write(" " + LogText.Safe(logEntry.Exception.ToString()));
        }

        textWriter.Write('\n');
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };
}
