using Relais.Runner.Tests.Support;
using Relais.Runner.Trace;

namespace Relais.Runner.Tests.Trace;

public class JobLogTests
{
    [Fact]
    public void Writes_sections_with_unix_timestamps_and_coloured_messages()
    {
        var time = new ManualTimeProvider();
        var trace = new MemoryJobTrace();
        var log = new JobLog(trace, StreamingMasker.None, time);

        log.SectionStart("step_script", "Executing \"step_script\" stage of the job script");
        log.Notice("$ make");
        log.Warning("careful");
        log.Error("Job failed: exit code 1");
        time.Advance(TimeSpan.FromSeconds(5));
        log.SectionEnd("step_script");
        log.Flush();

        var start = time.GetUtcNow().ToUnixTimeSeconds() - 5;
        Assert.Equal(
            $"section_start:{start}:step_script\r\e[0K\e[0K\e[36;1mExecuting \"step_script\" stage of the job script\e[0;m\n"
            + "\e[32;1m$ make\e[0;m\n"
            + "\e[0;33mWARNING: careful\e[0;m\n"
            + "\e[31;1mERROR: Job failed: exit code 1\e[0;m\n"
            + $"section_end:{start + 5}:step_script\r\e[0K\n",
            trace.Text);
    }

    [Fact]
    public void Masks_runner_messages_and_output_alike()
    {
        var trace = new MemoryJobTrace();
        var log = new JobLog(trace, new StreamingMasker(["hunter2-secret"]), TimeProvider.System);

        log.Info("clone https://user:hunter2-secret@host/x.git");
        log.Write("out hunter2-"u8);
        log.Write("secret!\n"u8);
        log.Flush();

        Assert.Equal("clone https://user:[MASKED]@host/x.git\nout [MASKED]!\n", trace.Text);
    }

    [Fact]
    public void Stops_collecting_past_the_limit_with_one_notice()
    {
        var trace = new MemoryJobTrace();
        var log = new JobLog(trace, StreamingMasker.None, TimeProvider.System, limit: 10);

        log.Write("0123456789abcdef"u8);
        log.Write("more"u8);
        log.Flush();

        Assert.StartsWith("0123456789\n", trace.Text, StringComparison.Ordinal);
        Assert.Contains("exceeded 10 bytes", trace.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("more", trace.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_trace_reports_the_crc32_of_what_was_written()
    {
        var trace = new MemoryJobTrace();
        trace.Write("123456789"u8);

        Assert.Equal("crc32:cbf43926", trace.Checksum); // the CRC-32 check value
        Assert.Equal(9, trace.Length);
    }

    [Fact]
    public void The_crc32_of_a_long_input_is_the_same_in_any_split_and_matches_the_bitwise_definition()
    {
        var data = new byte[10_007];
        new Random(7).NextBytes(data);
        var bitwise = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            bitwise ^= b;
            for (var k = 0; k < 8; k++)
            {
                bitwise = (bitwise & 1) != 0 ? 0xEDB88320u ^ (bitwise >> 1) : bitwise >> 1;
            }
        }

        Assert.Equal(~bitwise, TraceChecksum.Compute(data));
        foreach (var split in new[] { 1, 3, 8, 13, 4096 })
        {
            var running = TraceChecksum.Initial;
            for (var at = 0; at < data.Length; at += split)
            {
                running = TraceChecksum.Update(running, data.AsSpan(at, Math.Min(split, data.Length - at)));
            }

            Assert.Equal(~bitwise, ~running);
        }
    }

    [Fact]
    public void Prefixing_trace_prefixes_whole_lines_only()
    {
        var output = new MemoryStream();
        var trace = new PrefixingJobTrace(output, "[build] ", new Lock());

        trace.Write("one\ntw"u8);
        trace.Write("o\r\nthree"u8);
        trace.Complete();

        Assert.Equal("[build] one\n[build] two\r\n[build] three\n", System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }
}
