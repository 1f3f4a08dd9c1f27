using System.Buffers;
using System.Text;
using Relais.Runner.Trace;

namespace Relais.Runner.Tests.Trace;

public class StreamingMaskerTests
{
    private static string Mask(StreamingMasker masker, params string[] writes)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var write in writes)
        {
            masker.Write(Encoding.UTF8.GetBytes(write), output);
        }

        masker.Flush(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Masks_every_occurrence_of_a_secret()
    {
        var masker = new StreamingMasker(["s3cr3t-value"]);

        Assert.Equal("a [MASKED] b [MASKED][MASKED]\n", Mask(masker, "a s3cr3t-value b s3cr3t-values3cr3t-value\n"));
    }

    [Fact]
    public void Masks_a_secret_split_at_every_possible_write_boundary()
    {
        const string text = "before SUPERSECRET123 middle SUPERSECRET123 after";
        for (var cut1 = 0; cut1 <= text.Length; cut1++)
        {
            for (var cut2 = cut1; cut2 <= text.Length; cut2 += 3)
            {
                var masker = new StreamingMasker(["SUPERSECRET123"]);
                var result = Mask(masker, text[..cut1], text[cut1..cut2], text[cut2..]);
                Assert.Equal("before [MASKED] middle [MASKED] after", result);
            }
        }
    }

    [Fact]
    public void Masks_a_secret_written_one_byte_at_a_time()
    {
        var masker = new StreamingMasker(["password123"]);
        var bytes = "x=password123;y".Select(c => c.ToString()).ToArray();

        Assert.Equal("x=[MASKED];y", Mask(masker, bytes));
    }

    [Fact]
    public void Prefers_the_longest_secret_and_waits_until_it_can_decide()
    {
        var masker = new StreamingMasker(["abcdefgh", "abcdefghXYZ"]);

        Assert.Equal("[MASKED] [MASKED]!", Mask(masker, "abcdefgh", "XYZ abcdefgh", "!"));
    }

    [Fact]
    public void Releases_a_partial_secret_that_did_not_complete()
    {
        var masker = new StreamingMasker(["TOPSECRETVALUE"]);

        Assert.Equal("TOPSECRE-not it TOPSEC", Mask(masker, "TOPSECRE", "-not it TOPSEC"));
    }

    [Fact]
    public void Holds_back_only_what_could_start_a_secret()
    {
        var masker = new StreamingMasker(["TOPSECRETVALUE"]);
        var output = new ArrayBufferWriter<byte>();

        masker.Write("line one\nline two TOPS"u8, output);

        Assert.Equal("line one\nline two ", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Masks_tokens_after_known_prefixes_and_keeps_the_prefix()
    {
        var masker = new StreamingMasker([], ["glpat-", "glrt-"]);

        Assert.Equal("token glpat-[MASKED] and glrt-[MASKED]\nglpat- alone", Mask(masker, "token glpat-abc_DEF", "-123.x= and glrt-zz\nglpat- alone"));
    }

    [Fact]
    public void Masks_non_ascii_secrets_and_leaves_empty_ones_alone()
    {
        var masker = new StreamingMasker(["pässwörd-ü", ""]);

        Assert.Equal("x [MASKED] y", Mask(masker, "x pässw", "örd-ü y"));
    }
}
