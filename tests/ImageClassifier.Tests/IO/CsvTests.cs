using ImageClassifier.IO;

namespace ImageClassifier.Tests.IO;

public class CsvTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("carriage\rreturn", "\"carriage\rreturn\"")]
    [InlineData(@"true\predicted", @"true\predicted")]
    public void Fields_are_quoted_only_when_RFC_4180_needs_it(string value, string expected) =>
        Assert.Equal(expected, Csv.Field(value));

    [Theory]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("images/a,b.png")]
    [InlineData("say \"hi\", twice")]
    public void The_first_field_reads_back_what_a_line_wrote(string value) =>
        Assert.Equal(value, Csv.FirstField(Csv.Line(value, "x,y", "z")));

    [Fact]
    public void A_line_joins_quoted_fields_and_numbers_round_trip_in_any_culture()
    {
        Assert.Equal("T-shirt/top,\"Bag, small\",0.1", Csv.Line("T-shirt/top", "Bag, small", Csv.Number(0.1)));
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new("de-DE");
            Assert.Equal("0.30000000000000004", Csv.Number(0.1 + 0.2));
            Assert.Equal("NaN", Csv.Number(double.NaN));
            Assert.Equal("-12", Csv.Number(-12));
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = culture; }
    }
}
