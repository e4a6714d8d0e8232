using ImageClassifier.Tuning;

namespace ImageClassifier.Tests.Tuning;

/// <summary>The bracket arithmetic against brackets worked out by hand (and the Hyperband paper's table).</summary>
public sealed class BracketsTests
{
    static (int Configs, int Epochs)[][] Table(IEnumerable<Bracket> brackets) =>
        brackets.Select(b => b.Rungs.Select(r => (r.Configs, r.Epochs)).ToArray()).ToArray();

    [Fact]
    public void Hyperband_with_R_81_and_eta_3_is_the_papers_table()
    {
        // Li et al. 2018, Table 1: s_max = 4, B = 5R; n = ceil(5 * 3^s / (s + 1)).
        (int, int)[][] expected =
        [
            [(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)],
            [(34, 3), (11, 9), (3, 27), (1, 81)],          // ceil(5 * 27 / 4) = 34; 34/3 = 11; 34/9 = 3; 34/27 = 1
            [(15, 9), (5, 27), (1, 81)],
            [(8, 27), (2, 81)],                             // ceil(5 * 3 / 2) = 8
            [(5, 81)],
        ];
        var brackets = Brackets.Hyperband(maxEpochs: 81, minEpochs: 1, eta: 3);
        Assert.Equal(expected, Table(brackets));
        Assert.Equal([4, 3, 2, 1, 0], brackets.Select(b => b.S));
        Assert.Equal(81 + 27 + 9 + 3 + 1, brackets[0].Trials);
        Assert.Equal(5 * 81, brackets[0].Epochs);           // 81x1 + 27x3 + 9x9 + 3x27 + 1x81: R epochs per rung
    }

    [Fact]
    public void Hyperband_with_R_27_and_eta_3()
    {
        // s_max = 3, B = 4 * 27 = 108: n = ceil(4 * 3^s / (s + 1)) = 27, 12, 6, 4; r = 27 / 3^s = 1, 3, 9, 27.
        (int, int)[][] expected =
        [
            [(27, 1), (9, 3), (3, 9), (1, 27)],
            [(12, 3), (4, 9), (1, 27)],
            [(6, 9), (2, 27)],
            [(4, 27)],
        ];
        Assert.Equal(expected, Table(Brackets.Hyperband(27, 1, 3)));
    }

    [Fact]
    public void Hyperband_with_R_9_and_a_minimum_of_3_epochs_has_two_brackets()
    {
        // R / r_min = 3: s_max = 1, B = 2 * 9: n = ceil(2 * 3 / 2) = 3 at 3 epochs, then ceil(2 * 1 / 1) = 2 at 9.
        Assert.Equal([[(3, 3), (1, 9)], [(2, 9)]], Table(Brackets.Hyperband(9, 3, 3)));
    }

    [Fact]
    public void Epochs_that_do_not_come_out_whole_are_rounded()
    {
        // R = 10, eta = 3: s_max = 2 (3^2 = 9 <= 10 < 27); r = 10/9 -> 1, 10/3 -> 3, 10.
        var first = Brackets.Hyperband(10, 1, 3)[0];
        Assert.Equal([(9, 1), (3, 3), (1, 10)], first.Rungs.Select(r => (r.Configs, r.Epochs)));
        // eta = 2, R = 3: s_max = 1, r = 1.5 -> 2 (half away from zero), then 3.
        Assert.Equal([(4, 2), (2, 3)], Brackets.SuccessiveHalving(4, 3, 1, 2).Rungs.Select(r => (r.Configs, r.Epochs)));
    }

    [Fact]
    public void Successive_halving_halves_as_often_as_the_epochs_and_the_configurations_allow()
    {
        Assert.Equal([(27, 1), (9, 3), (3, 9), (1, 27)], Brackets.SuccessiveHalving(27, 27, 1, 3).Rungs.Select(r => (r.Configs, r.Epochs)));
        // 20 configurations allow two halvings (20 -> 6 -> 2), and R = 9 allows two: 1, 3, 9 epochs.
        Assert.Equal([(20, 1), (6, 3), (2, 9)], Brackets.SuccessiveHalving(20, 9, 1, 3).Rungs.Select(r => (r.Configs, r.Epochs)));
        // 5 configurations allow one halving only, so the first rung trains R / 3 epochs.
        Assert.Equal([(5, 3), (1, 9)], Brackets.SuccessiveHalving(5, 9, 1, 3).Rungs.Select(r => (r.Configs, r.Epochs)));
        // R = min: no halving at all.
        Assert.Equal([(8, 2)], Brackets.SuccessiveHalving(8, 2, 2, 3).Rungs.Select(r => (r.Configs, r.Epochs)));
    }

    [Fact]
    public void Random_search_trains_every_configuration_for_the_most_epochs()
    {
        var bracket = Brackets.RandomSearch(12, 5);
        Assert.Equal([(12, 5)], bracket.Rungs.Select(r => (r.Configs, r.Epochs)));
        Assert.Equal(60, bracket.Epochs);
    }

    [Theory]
    [InlineData(81, 1, 3, 4)]
    [InlineData(80, 1, 3, 3)]
    [InlineData(9, 1, 3, 2)]
    [InlineData(9, 9, 3, 0)]
    [InlineData(16, 2, 2, 3)]
    [InlineData(1000000, 1, 10, 6)]
    public void Max_halvings_is_floor_log_eta_of_R_over_r_min_without_rounding_errors(int max, int min, int eta, int expected) =>
        Assert.Equal(expected, Brackets.MaxHalvings(max, min, eta));

    [Fact]
    public void Bad_settings_are_refused()
    {
        Assert.Contains("eta", Assert.Throws<ArgumentException>(() => Brackets.Hyperband(9, 1, 1)).Message);
        Assert.Contains("must not be below", Assert.Throws<ArgumentException>(() => Brackets.Hyperband(2, 3, 3)).Message);
        Assert.Contains("at least 1", Assert.Throws<ArgumentException>(() => Brackets.Hyperband(9, 0, 3)).Message);
        Assert.Throws<ArgumentException>(() => Brackets.SuccessiveHalving(0, 9));
        Assert.Throws<ArgumentException>(() => Brackets.RandomSearch(3, 0));
    }

    [Fact]
    public void Search_settings_plan_the_method_asked_for()
    {
        Assert.Single(new SearchSettings { Method = "random", Trials = 7, MaxEpochs = 4 }.Plan());
        Assert.Equal(3, new SearchSettings { Method = "hyperband", MaxEpochs = 9 }.Plan().Count);
        // R = 9, eta = 3: 9x1, 3x3, 1x9 (13 trials); 5x3, 1x9 (6); 3x9 (3).
        Assert.Equal(13 + 6 + 3, new SearchSettings { Method = "hyperband", MaxEpochs = 9 }.Plan().Sum(b => b.Trials));
        Assert.Equal([(20, 1), (6, 3), (2, 9)], new SearchSettings { Method = "halving", Trials = 20, MaxEpochs = 9 }.Plan().Single().Rungs.Select(r => (r.Configs, r.Epochs)));
        Assert.Contains("Unknown search method", Assert.Throws<ArgumentException>(() => new SearchSettings { Method = "grid" }.Plan()).Message);
    }
}
