using Relais.Pipelines.Expressions;

namespace Relais.Pipelines.Tests.Expressions;

public sealed class ExpressionValueTests
{
    [Fact]
    public void Truthiness_is_Rubys_and_presence_is_ActiveSupports()
    {
        Assert.False(ExpressionValue.Null.IsTruthy);
        Assert.False(ExpressionValue.False.IsTruthy);
        Assert.True(ExpressionValue.Of("").IsTruthy);
        Assert.False(ExpressionValue.Of("").IsPresent);
        Assert.False(ExpressionValue.Of(" \t\u00A0").IsPresent);
        Assert.True(ExpressionValue.Of(" x ").IsPresent);
        Assert.True(ExpressionValue.True.IsPresent);
    }

    [Fact]
    public void Equality_needs_the_same_kind()
    {
        Assert.True(ExpressionValue.Null.RubyEquals(ExpressionValue.Of((string?)null)));
        Assert.False(ExpressionValue.Of("true").RubyEquals(ExpressionValue.True));
        Assert.False(ExpressionValue.Of("").RubyEquals(ExpressionValue.Null));
        Assert.True(ExpressionValue.Of("a").RubyEquals(ExpressionValue.Of("a")));
    }

    [Fact]
    public void Display_quotes_and_escapes()
    {
        Assert.Equal("\"a \\\"b\\\" \\\\ \\n\"", ExpressionValue.Of("a \"b\" \\ \n").Display());
        Assert.Equal("null", ExpressionValue.Null.Display());
        Assert.Equal("", ExpressionValue.Null.AsText);
    }
}
