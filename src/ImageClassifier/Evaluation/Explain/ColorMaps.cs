namespace ImageClassifier.Evaluation.Explain;

/// <summary>The colour maps heatmaps are drawn with.</summary>
public enum ColorMap { Jet, Viridis }

/// <summary>
/// Matplotlib's jet and viridis as 256-entry RGB tables, looked up as matplotlib does
/// (value v in [0,1] takes entry floor(256 v), capped at 255), so pictures match the Python tools.
/// </summary>
public static class ColorMaps
{
    public const int Size = 256;

    // Matplotlib's _jet_data: per channel, (x, y) points joined by straight lines.
    // Declared before the tables: static fields initialise in textual order.
    static readonly (double X, double Y)[] jetRed = [(0, 0), (0.35, 0), (0.66, 1), (0.89, 1), (1, 0.5)];
    static readonly (double X, double Y)[] jetGreen = [(0, 0), (0.125, 0), (0.375, 1), (0.64, 1), (0.91, 0), (1, 0)];
    static readonly (double X, double Y)[] jetBlue = [(0, 0.5), (0.11, 1), (0.34, 1), (0.65, 0), (1, 0)];

    static readonly byte[] jet = BuildJet();
    static readonly byte[] viridis = Convert.FromHexString(ViridisHex);

    public static ColorMap Parse(string name) => name.ToLowerInvariant() switch
    {
        "jet" => ColorMap.Jet,
        "viridis" => ColorMap.Viridis,
        _ => throw new ArgumentException($"Unknown colour map '{name}'. Known: jet, viridis."),
    };

    /// <summary>The RGB colour for <paramref name="value"/> (clamped to [0,1]; NaN counts as 0).</summary>
    public static (byte R, byte G, byte B) Color(this ColorMap map, float value)
    {
        var table = map == ColorMap.Viridis ? viridis : jet;
        int i = float.IsNaN(value) ? 0 : Math.Clamp((int)(value * Size), 0, Size - 1);
        return (table[3 * i], table[3 * i + 1], table[3 * i + 2]);
    }

    static byte[] BuildJet()
    {
        var table = new byte[3 * Size];
        for (int i = 0; i < Size; i++)
        {
            double x = i / (double)(Size - 1);
            table[3 * i] = ToByte(Segments(jetRed, x));
            table[3 * i + 1] = ToByte(Segments(jetGreen, x));
            table[3 * i + 2] = ToByte(Segments(jetBlue, x));
        }
        return table;
    }

    static double Segments((double X, double Y)[] points, double x)
    {
        for (int k = 1; k < points.Length; k++)
            if (x <= points[k].X)
                return points[k - 1].Y + (points[k].Y - points[k - 1].Y) * (x - points[k - 1].X) / (points[k].X - points[k - 1].X);
        return points[^1].Y;
    }

    static byte ToByte(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);

    // Matplotlib's _viridis_data (Smith, van der Walt and Firing; CC0) rounded to bytes: R, G, B per entry.
    const string ViridisHex =
        "44015444025645045745055946075A46085C460A5D460B5E470D60470E6147106347116447136548146748166848176948186A481A6C481B6D481C6E481D6F481F70482071482173482374482475482576482677482878482979472A7A472C7A" +
        "472D7B472E7C472F7D46307E46327E46337F463480453581453781453882443983443A83443B84433D84433E85423F854240864241864142874144874045884046883F47883F48893E49893E4A893E4C8A3D4D8A3D4E8A3C4F8A3C508B3B518B" +
        "3B528B3A538B3A548C39558C39568C38588C38598C375A8C375B8D365C8D365D8D355E8D355F8D34608D34618D33628D33638D32648E32658E31668E31678E31688E30698E306A8E2F6B8E2F6C8E2E6D8E2E6E8E2E6F8E2D708E2D718E2C718E" +
        "2C728E2C738E2B748E2B758E2A768E2A778E2A788E29798E297A8E297B8E287C8E287D8E277E8E277F8E27808E26818E26828E26828E25838E25848E25858E24868E24878E23888E23898E238A8D228B8D228C8D228D8D218E8D218F8D21908D" +
        "21918C20928C20928C20938C1F948C1F958B1F968B1F978B1F988B1F998A1F9A8A1E9B8A1E9C891E9D891F9E891F9F881FA0881FA1881FA1871FA28720A38620A48621A58521A68522A78522A88423A98324AA8325AB8225AC8226AD8127AD81" +
        "28AE8029AF7F2AB07F2CB17E2DB27D2EB37C2FB47C31B57B32B67A34B67935B77937B87838B9773ABA763BBB753DBC743FBC7340BD7242BE7144BF7046C06F48C16E4AC16D4CC26C4EC36B50C46A52C56954C56856C66758C7655AC8645CC863" +
        "5EC96260CA6063CB5F65CB5E67CC5C69CD5B6CCD5A6ECE5870CF5773D05675D05477D1537AD1517CD2507FD34E81D34D84D44B86D54989D5488BD6468ED64590D74393D74195D84098D83E9BD93C9DD93BA0DA39A2DA37A5DB36A8DB34AADC32" +
        "ADDC30B0DD2FB2DD2DB5DE2BB8DE29BADE28BDDF26C0DF25C2DF23C5E021C8E020CAE11FCDE11DD0E11CD2E21BD5E21AD8E219DAE319DDE318DFE318E2E418E5E419E7E419EAE51AECE51BEFE51CF1E51DF4E61EF6E620F8E621FBE723FDE725";
}
