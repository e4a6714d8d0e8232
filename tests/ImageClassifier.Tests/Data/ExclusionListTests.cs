using ImageClassifier.Data;
using ImageClassifier.Tests.TestSupport;

namespace ImageClassifier.Tests.Data;

public class ExclusionListTests
{
    [Fact]
    public void Rows_marked_exclude_are_read_with_relative_paths_taken_from_the_data_folder()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("data"));
        string csv = temp.File("fixes.csv");
        File.WriteAllText(csv, "path,split,action,reason,suggestion\r\n" +
            "/abs/cat/1.png,train,exclude,\"empty: empty file, 0 bytes\",\n" +
            "dog/2.png,train,exclude,\"a \"\"quoted\"\" reason\",\n" +
            "dog/3.png,train,review,label doubted,relabel as 'cat'\n");

        var excluded = ExclusionList.Read(csv, temp.File("data"));

        Assert.Equal(["/abs/cat/1.png", Path.Combine(temp.File("data"), "dog", "2.png")], excluded.Order());
    }

    [Fact]
    public void A_plain_list_of_paths_excludes_every_row_relative_to_its_own_folder()
    {
        using var temp = new TempDirectory();
        string csv = temp.File("drop.csv");
        File.WriteAllText(csv, "path\ncat/1.png\n\n");
        Assert.Equal([Path.Combine(temp.Path, "cat", "1.png")], ExclusionList.Read(csv));
    }

    [Fact]
    public void A_list_without_a_path_column_or_missing_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        string csv = temp.File("bad.csv");
        File.WriteAllText(csv, "file,action\ncat/1.png,exclude\n");
        var e = Assert.Throws<DatasetException>(() => ExclusionList.Read(csv));
        Assert.Contains("no 'path' column", e.Message);
        Assert.Contains(csv, e.Message);
        Assert.Contains("not found", Assert.Throws<DatasetException>(() => ExclusionList.Read(temp.File("none.csv"))).Message);
    }

    [Fact]
    public void Excluded_files_are_left_out_of_a_folder_read_in_memory_and_streamed()
    {
        using var temp = new TempDirectory();
        var paths = ImageClassifier.Tests.Audit.AuditFolders.Write(temp.File("data"), ImageClassifier.Tests.Audit.AuditFolders.ThreeClasses, perClass: 4);
        var exclude = new HashSet<string> { paths["bag"][0], paths["sneaker"][3] };
        var shape = ImageClassifier.Tests.Audit.AuditFolders.Gray28;

        var read = ImageFolderReader.Read(temp.File("data"), new ImageFolderOptions(shape) { Exclude = exclude });
        Assert.Equal([3, 3, 4], read.Dataset.ClassCounts());
        Assert.Empty(read.Skipped);

        var streamed = ImageClassifier.Data.Loading.StreamingImageFolderSource.Open(temp.File("data"), shape, new() { Exclude = exclude });
        Assert.Equal(10, streamed.Count);
        Assert.DoesNotContain(streamed.Files, f => exclude.Contains(f.Path));
    }
}
