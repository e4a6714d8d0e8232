using ImageClassifier.Evaluation;

namespace ImageClassifier.Tests.Evaluation;

/// <summary>
/// classification_report fixtures worked out by hand. With tp the diagonal, P the column sum
/// (times predicted) and T the row sum (support): precision = tp/P, recall = tp/T,
/// F1 = 2tp/(T+P). Every fixture passes all classes as labels, as the evaluator does.
/// (scikit-learn 1.2.1 gave the same numbers for warn, 0 and 1; NaN needs 1.3+.)
/// </summary>
public class ClassificationReportTests
{
    const int Places = 12;

    static void AssertRow(ClassMetrics row, double precision, double recall, double f1, int support)
    {
        Assert.Equal(precision, row.Precision, Places);
        Assert.Equal(recall, row.Recall, Places);
        Assert.Equal(f1, row.F1Score, Places);
        Assert.Equal(support, row.Support);
    }

    static void AssertAverage(AverageMetrics avg, double precision, double recall, double f1, int support) =>
        AssertRow(new ClassMetrics(0, "", avg.Precision, avg.Recall, avg.F1Score, avg.Support), precision, recall, f1, support);

    [Fact]
    public void Three_classes_with_a_known_confusion_matrix()
    {
        // confusion [[3,1,0],[1,2,0],[0,1,2]]: tp = 3,2,2; P = 4,4,2; T = 4,3,3; 7 of 10 right
        var r = ClassificationReport.Compute([0, 0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 0, 0, 1, 0, 1, 1, 1, 2, 2], ["cat", "dog", "bird"]);
        AssertRow(r.Classes[0], 3 / 4.0, 3 / 4.0, 6 / 8.0, 4);  // F1 = 2*3/(4+4)
        AssertRow(r.Classes[1], 2 / 4.0, 2 / 3.0, 4 / 7.0, 3);  // F1 = 2*2/(3+4)
        AssertRow(r.Classes[2], 2 / 2.0, 2 / 3.0, 4 / 5.0, 3);  // F1 = 2*2/(3+2)
        Assert.Equal(0.7, r.Accuracy, Places);
        Assert.Equal("accuracy", r.AccuracyRow);
        // macro: plain means. P (0.75+0.5+1)/3 = 0.75; R (3/4+2/3+2/3)/3 = 25/36; F1 (3/4+4/7+4/5)/3 = (297/140)/3 = 99/140
        AssertAverage(r.MacroAvg, 0.75, 25 / 36.0, 99 / 140.0, 10);
        // weighted by support 4,3,3: P (4*.75+3*.5+3*1)/10 = 0.75; R (3+2+2)/10 = 0.7 (always the accuracy);
        // F1 (4*3/4 + 3*4/7 + 3*4/5)/10 = (249/35)/10 = 249/350
        AssertAverage(r.WeightedAvg, 0.75, 0.7, 249 / 350.0, 10);
        Assert.Empty(r.Warnings);
        Assert.Equal("cat", r.Classes[0].Name);
    }

    [Fact]
    public void A_class_never_predicted_has_precision_zero_with_a_warning()
    {
        // true [0,0,1,1,2,2], pred [0,0,1,1,1,1]: confusion [[2,0,0],[0,2,0],[0,2,0]]
        // tp 2,2,0; P 2,4,0; T 2,2,2. Class 2: precision 0/0 -> 0 (warned), recall 0/2, F1 0/(2+0) = 0
        var r = ClassificationReport.Compute([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1], 3);
        AssertRow(r.Classes[0], 1, 1, 1, 2);
        AssertRow(r.Classes[1], 0.5, 1, 4 / 6.0, 2);
        AssertRow(r.Classes[2], 0, 0, 0, 2);
        // macro = weighted (equal supports): P (1+.5+0)/3 = 0.5; R (1+1+0)/3; F1 (1+2/3+0)/3 = 5/9
        AssertAverage(r.MacroAvg, 0.5, 2 / 3.0, 5 / 9.0, 6);
        AssertAverage(r.WeightedAvg, 0.5, 2 / 3.0, 5 / 9.0, 6);
        var warning = Assert.Single(r.Warnings);
        Assert.Equal(("precision", 2), (warning.Metric, warning.ClassIndex));
        Assert.Contains("Precision is ill-defined and being set to 0.0 for class '2' (no predicted samples)", warning.Message);
    }

    [Fact]
    public void A_class_absent_from_the_labels_has_support_zero_and_recall_zero_with_a_warning()
    {
        // true [0,0,1,1], pred [0,2,1,1]: confusion [[1,0,1],[0,2,0],[0,0,0]]
        // tp 1,2,0; P 1,2,1; T 2,2,0. Class 2: precision 0/1 = 0, recall 0/0 -> 0 (warned), F1 0/(0+1) = 0
        var r = ClassificationReport.Compute([0, 0, 1, 1], [0, 2, 1, 1], 3);
        AssertRow(r.Classes[0], 1, 0.5, 2 / 3.0, 2);
        AssertRow(r.Classes[1], 1, 1, 1, 2);
        AssertRow(r.Classes[2], 0, 0, 0, 0);
        Assert.Equal(0.75, r.Accuracy, Places);
        // macro counts the absent class: P (1+1+0)/3; R (.5+1+0)/3 = 0.5; F1 (2/3+1+0)/3 = 5/9
        AssertAverage(r.MacroAvg, 2 / 3.0, 0.5, 5 / 9.0, 4);
        // weighted by 2,2,0 ignores it: P (2+2)/4 = 1; R (1+2)/4 = .75; F1 (4/3+2)/4 = 5/6
        AssertAverage(r.WeightedAvg, 1, 0.75, 5 / 6.0, 4);
        var warning = Assert.Single(r.Warnings);
        Assert.Equal(("recall", 2), (warning.Metric, warning.ClassIndex));
        Assert.Equal("accuracy", r.AccuracyRow); // class 2 was predicted, so it was seen
    }

    [Fact]
    public void A_class_absent_from_both_counts_as_zero_in_the_macro_average()
    {
        // true [0,1,1,0], pred [0,1,0,0], three classes: confusion [[2,0,0],[1,1,0],[0,0,0]]
        // tp 2,1,0; P 3,1,0; T 2,2,0. Class 2: all three 0/0 -> 0, three warnings
        var r = ClassificationReport.Compute([0, 1, 1, 0], [0, 1, 0, 0], 3);
        AssertRow(r.Classes[0], 2 / 3.0, 1, 4 / 5.0, 2);
        AssertRow(r.Classes[1], 1, 0.5, 2 / 3.0, 2);
        AssertRow(r.Classes[2], 0, 0, 0, 0);
        // macro: P (2/3+1+0)/3 = 5/9; R (1+.5+0)/3 = .5; F1 (4/5+2/3+0)/3 = 22/45
        AssertAverage(r.MacroAvg, 5 / 9.0, 0.5, 22 / 45.0, 4);
        // weighted by 2,2,0: P (4/3+2)/4 = 5/6; R (2+1)/4 = .75; F1 (8/5+4/3)/4 = 11/15
        AssertAverage(r.WeightedAvg, 5 / 6.0, 0.75, 11 / 15.0, 4);
        Assert.Equal(["precision", "recall", "f1-score"], r.Warnings.Select(w => w.Metric));
        Assert.All(r.Warnings, w => Assert.Equal(2, w.ClassIndex));
        // scikit-learn's labels no longer equal the classes seen, so it names the accuracy row "micro avg"
        Assert.Equal("micro avg", r.AccuracyRow);
        Assert.Equal(0.75, r.Accuracy, Places);
    }

    [Fact]
    public void Zero_division_one_sets_one_silently_but_F1_only_where_both_are_undefined()
    {
        // the never-predicted fixture: precision of class 2 becomes 1, F1 stays 0/(2+0) = 0
        var never = ClassificationReport.Compute([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1], 3, ZeroDivision.One);
        AssertRow(never.Classes[2], 1, 0, 0, 2);
        AssertAverage(never.MacroAvg, 2.5 / 3, 2 / 3.0, 5 / 9.0, 6); // P (1+.5+1)/3
        Assert.Empty(never.Warnings);

        // the absent-from-labels fixture: recall of class 2 becomes 1, F1 0/(0+1) = 0
        var absent = ClassificationReport.Compute([0, 0, 1, 1], [0, 2, 1, 1], 3, ZeroDivision.One);
        AssertRow(absent.Classes[2], 0, 1, 0, 0);
        AssertAverage(absent.MacroAvg, 2 / 3.0, 2.5 / 3, 5 / 9.0, 4); // R (.5+1+1)/3
        AssertAverage(absent.WeightedAvg, 1, 0.75, 5 / 6.0, 4);       // weight 0: unchanged

        // the absent-from-both fixture: all three are 1 and raise the macro average
        var both = ClassificationReport.Compute([0, 1, 1, 0], [0, 1, 0, 0], 3, ZeroDivision.One);
        AssertRow(both.Classes[2], 1, 1, 1, 0);
        // macro: P (2/3+1+1)/3 = 8/9; R (1+.5+1)/3 = 5/6; F1 (4/5+2/3+1)/3 = 37/45
        AssertAverage(both.MacroAvg, 8 / 9.0, 5 / 6.0, 37 / 45.0, 4);
        AssertAverage(both.WeightedAvg, 5 / 6.0, 0.75, 11 / 15.0, 4);
    }

    [Fact]
    public void Zero_division_zero_is_warn_without_the_warnings()
    {
        var warn = ClassificationReport.Compute([0, 1, 1, 0], [0, 1, 0, 0], 3);
        var zero = ClassificationReport.Compute([0, 1, 1, 0], [0, 1, 0, 0], 3, ZeroDivision.Zero);
        Assert.Equal(warn.Classes, zero.Classes);
        Assert.Equal(warn.MacroAvg, zero.MacroAvg);
        Assert.Empty(zero.Warnings);
    }

    [Fact]
    public void Zero_division_NaN_leaves_the_class_out_of_the_averages()
    {
        // absent from both: class 2 is NaN everywhere; macro over classes 0 and 1 only:
        // P (2/3+1)/2 = 5/6; R (1+.5)/2 = .75; F1 (4/5+2/3)/2 = 11/15; weighted (2,2) the same
        var both = ClassificationReport.Compute([0, 1, 1, 0], [0, 1, 0, 0], 3, ZeroDivision.NaN);
        Assert.True(double.IsNaN(both.Classes[2].Precision) && double.IsNaN(both.Classes[2].Recall) && double.IsNaN(both.Classes[2].F1Score));
        AssertAverage(both.MacroAvg, 5 / 6.0, 0.75, 11 / 15.0, 4);
        AssertAverage(both.WeightedAvg, 5 / 6.0, 0.75, 11 / 15.0, 4);
        Assert.Empty(both.Warnings);

        // never predicted: only the precision of class 2 is NaN; P macro (1+.5)/2, weighted (2*1+2*.5)/4
        var never = ClassificationReport.Compute([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1], 3, ZeroDivision.NaN);
        AssertRow(never.Classes[2] with { Precision = 0 }, 0, 0, 0, 2);
        AssertAverage(never.MacroAvg, 0.75, 2 / 3.0, 5 / 9.0, 6);
        AssertAverage(never.WeightedAvg, 0.75, 2 / 3.0, 5 / 9.0, 6);
    }

    [Fact]
    public void Weighted_average_over_only_zero_weights_is_the_plain_mean()
    {
        // true [0,0], pred [1,1]: precision is NaN for class 0 (never predicted) and 0/2 = 0 for class 1,
        // whose support is 0; what is left weighs nothing, so scikit-learn's _nanaverage takes the plain mean: 0
        var r = ClassificationReport.Compute([0, 0], [1, 1], 2, ZeroDivision.NaN);
        Assert.Equal(0.0, r.WeightedAvg.Precision);
        Assert.Equal(0.0, r.MacroAvg.Precision);
        Assert.Equal(0.0, r.MacroAvg.Recall); // recall 0/2 for class 0, NaN for class 1 (left out)
    }

    [Fact]
    public void Weighted_and_macro_averages_differ_on_imbalanced_classes()
    {
        // 8 of class 0 all right, 2 of class 1 all predicted 0: confusion [[8,0],[2,0]]
        // class 0: P 8/10, R 1, F1 16/18; class 1: P 0/0 -> 0, R 0, F1 0
        var r = ClassificationReport.Compute([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, ZeroDivision.Zero);
        AssertAverage(r.MacroAvg, 0.4, 0.5, 8 / 18.0, 10);               // halves
        AssertAverage(r.WeightedAvg, 0.64, 0.8, 0.8 * 16 / 18.0, 10);   // 8/10 of class 0's
    }

    [Fact]
    public void Bad_input_is_a_clear_error()
    {
        Assert.Contains("2 labels but 3 predictions", Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0, 1], [0, 1, 1], 2)).Message);
        Assert.Contains("no samples", Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([], [], 2)).Message);
        Assert.Contains("3 class names but 2 classes",
            Assert.Throws<ArgumentException>(() => ClassificationReport.From(ConfusionMatrix.From([0], [0], 2), ["a", "b", "c"])).Message);
    }

    [Fact]
    public void Text_is_scikit_learns_report_character_for_character()
    {
        // print(classification_report(t, p, labels=[0,1,2], target_names=["cat","dog","bird"])) in scikit-learn 1.2.1
        var a = ClassificationReport.Compute([0, 0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 0, 0, 1, 0, 1, 1, 1, 2, 2], ["cat", "dog", "bird"]);
        Assert.Equal(
            "              precision    recall  f1-score   support\n\n" +
            "         cat       0.75      0.75      0.75         4\n" +
            "         dog       0.50      0.67      0.57         3\n" +
            "        bird       1.00      0.67      0.80         3\n\n" +
            "    accuracy                           0.70        10\n" +
            "   macro avg       0.75      0.69      0.71        10\n" +
            "weighted avg       0.75      0.70      0.71        10\n", a.ToText());

        // a class absent from both: the accuracy row becomes "micro avg"; digits=4, zero_division=0
        var d = ClassificationReport.Compute([0, 1, 1, 0], [0, 1, 0, 0], ["T-shirt/top", "Trouser", "Pullover"], ZeroDivision.Zero);
        Assert.Equal(
            "              precision    recall  f1-score   support\n\n" +
            " T-shirt/top     0.6667    1.0000    0.8000         2\n" +
            "     Trouser     1.0000    0.5000    0.6667         2\n" +
            "    Pullover     0.0000    0.0000    0.0000         0\n\n" +
            "   micro avg     0.7500    0.7500    0.7500         4\n" +
            "   macro avg     0.5556    0.5000    0.4889         4\n" +
            "weighted avg     0.8333    0.7500    0.7333         4\n", d.ToText(4));
    }

    [Fact]
    public void Text_rounds_exact_ties_to_even_as_Python_does()
    {
        // recall of class 0 is 1/8 = 0.125 and the macro precision (1 + 1/8)/2 = 0.5625, both exact in
        // binary: Python prints 0.12 and 0.56 where .NET's own formatting would print 0.13 and 0.57
        var r = ClassificationReport.Compute([0, 0, 0, 0, 0, 0, 0, 0, 1], [0, 1, 1, 1, 1, 1, 1, 1, 1], 2);
        Assert.Equal(
            "              precision    recall  f1-score   support\n\n" +
            "           0       1.00      0.12      0.22         8\n" +
            "           1       0.12      1.00      0.22         1\n\n" +
            "    accuracy                           0.22         9\n" +
            "   macro avg       0.56      0.56      0.22         9\n" +
            "weighted avg       0.90      0.22      0.22         9\n", r.ToText());
    }
}
