using SkiaSharp;

namespace ImageClassifier.Reporting;

/// <summary>Draws a diagram layout with SkiaSharp: the same boxes, text and arrows as the SVG.</summary>
internal static class DiagramPng
{
    public static byte[] Draw(DiagramLayout layout, float scale)
    {
        if (!(scale > 0) || scale > 8) throw new ArgumentException($"The diagram's scale must be above 0 and at most 8, not {scale}.");
        int width = (int)MathF.Ceiling(layout.Width * scale), height = (int)MathF.Ceiling(layout.Height * scale);
        return Png.Draw(width, height, canvas =>
        {
            canvas.Scale(scale);
            using var font = ReportFonts.Font(DiagramLayout.FontSize);
            using var bold = ReportFonts.Font(DiagramLayout.FontSize, isBold: true);
            using var titleFont = ReportFonts.Font(DiagramLayout.TitleSize, isBold: true);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var stroke = new SKPaint { Color = DiagramLayout.Stroke, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f };
            using var arrowHead = new SKPaint { Color = DiagramLayout.Stroke, IsAntialias = true, Style = SKPaintStyle.Fill };
            canvas.DrawText(layout.Title, layout.Width / 2, layout.TitleBaseline, SKTextAlign.Center, titleFont, ink);
            for (int i = 0; i < layout.Boxes.Count; i++)
            {
                var box = layout.Boxes[i];
                var b = box.Bounds;
                float middle = b.MidY, upper = b.Top + DiagramLayout.RowHeight / 2, lower = middle + DiagramLayout.RowHeight / 2;
                using (var fill = new SKPaint { Color = DiagramLayout.Fill(box.Node.Kind), Style = SKPaintStyle.Fill })
                    canvas.DrawRect(b, fill);
                canvas.DrawRect(b, stroke);
                canvas.DrawLine(box.NameRight, b.Top, box.NameRight, b.Bottom, stroke);
                canvas.DrawLine(box.LabelRight, b.Top, box.LabelRight, b.Bottom, stroke);
                canvas.DrawLine(box.NameRight, middle, b.Right, middle, stroke);
                canvas.DrawText(box.Node.Label, (b.Left + box.NameRight) / 2, DiagramLayout.Baseline(middle, font), SKTextAlign.Center, bold, ink);
                float labelX = (box.NameRight + box.LabelRight) / 2, shapeX = (box.LabelRight + b.Right) / 2;
                canvas.DrawText("input:", labelX, DiagramLayout.Baseline(upper, font), SKTextAlign.Center, font, ink);
                canvas.DrawText("output:", labelX, DiagramLayout.Baseline(lower, font), SKTextAlign.Center, font, ink);
                canvas.DrawText(box.Node.InputShape, shapeX, DiagramLayout.Baseline(upper, font), SKTextAlign.Center, font, ink);
                canvas.DrawText(box.Node.OutputShape, shapeX, DiagramLayout.Baseline(lower, font), SKTextAlign.Center, font, ink);
                if (i + 1 == layout.Boxes.Count) continue;
                // The arrow: a line ending in the same 10-pixel head as the SVG marker.
                float tip = layout.Boxes[i + 1].Bounds.Top - 1;
                canvas.DrawLine(b.MidX, b.Bottom, b.MidX, tip - 6, stroke);
                using var head = new SKPath();
                head.MoveTo(b.MidX - 5, tip - 10);
                head.LineTo(b.MidX + 5, tip - 10);
                head.LineTo(b.MidX, tip);
                head.Close();
                canvas.DrawPath(head, arrowHead);
            }
        });
    }
}
