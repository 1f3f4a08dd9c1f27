using System.Buffers;
using System.Text;

namespace Relais.Runner.Trace;

/// <summary>
/// Writes a trace to a stream with a prefix at the start of every line (<c>relais run</c> shows several jobs at once
/// this way). Partial lines are held until their newline, so lines of different jobs never interleave mid-line;
/// call <see cref="Complete"/> at the end of the job to write a last unterminated line.
/// </summary>
public sealed class PrefixingJobTrace : IJobTrace
{
    private readonly Stream _output;
    private readonly byte[] _prefix;
    private readonly Lock _outputLock;
    private readonly ArrayBufferWriter<byte> _line = new();

    /// <summary>Creates the trace.</summary>
    /// <param name="output">The shared output (the console).</param>
    /// <param name="prefix">Written before each line, e.g. the coloured job name.</param>
    /// <param name="outputLock">One lock shared by every trace writing to <paramref name="output"/>.</param>
    public PrefixingJobTrace(Stream output, string prefix, Lock outputLock)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _prefix = Encoding.UTF8.GetBytes(prefix ?? "");
        _outputLock = outputLock ?? throw new ArgumentNullException(nameof(outputLock));
    }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _line.Write(data);
                return;
            }

            _line.Write(data[..(newline + 1)]);
            data = data[(newline + 1)..];
            WriteLine();
        }
    }

    /// <summary>Writes a pending unterminated line, with a newline.</summary>
    public void Complete()
    {
        if (_line.WrittenCount > 0)
        {
            _line.Write("\n"u8);
            WriteLine();
        }
    }

    private void WriteLine()
    {
        lock (_outputLock)
        {
            _output.Write(_prefix);
            _output.Write(_line.WrittenSpan);
            _output.Flush();
        }

        _line.ResetWrittenCount();
    }
}
