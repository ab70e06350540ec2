using System.Globalization;

namespace MultiAgentRec.Evaluation;

/// <summary>
/// Reads logged bandit feedback in the Open Bandit Dataset's CSV format (Saito et al., 2021):
/// <c>item_id, position (1-based), click, propensity_score</c>, optional <c>user_feature_*</c> and
/// <c>user-item_affinity_*</c> columns, and an <c>item_context.csv</c> beside the log with
/// <c>item_id, item_feature_*</c>. The simulator's logs use the same format plus
/// <c>expected_reward_*</c> columns (the exact expected reward of each item), so one reader serves both.
/// Every problem becomes a <see cref="LogFormatException"/> naming the file and line.
/// </summary>
public static class BanditFeedbackReader
{
    public const string ItemId = "item_id";
    public const string PositionColumn = "position";
    public const string Click = "click";
    public const string PropensityScore = "propensity_score";
    public const string UserFeaturePrefix = "user_feature_";
    public const string AffinityPrefix = "user-item_affinity_";
    public const string ExpectedRewardPrefix = "expected_reward_";
    public const string ItemFeaturePrefix = "item_feature_";
    public const string ItemContextFile = "item_context.csv";

    private static readonly string[] Required = [ItemId, PositionColumn, Click, PropensityScore];

    /// <summary>Reads a log file and, when present, the item_context.csv in its folder.</summary>
    public static BanditFeedback Read(string path)
    {
        var table = Table.Load(path);
        foreach (var name in Required)
            if (!table.Has(name))
                throw new LogFormatException(path, 1, $"missing column '{name}' (a log needs {string.Join(", ", Required)})");

        var affinityColumns = table.Numbered(AffinityPrefix);
        var expectedColumns = table.Numbered(ExpectedRewardPrefix);
        var itemContextPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", ItemContextFile);
        var itemTable = File.Exists(itemContextPath) ? Table.Load(itemContextPath) : null;
        if (itemTable is not null && !itemTable.Has(ItemId))
            throw new LogFormatException(itemContextPath, 1, $"missing column '{ItemId}'");

        // Every source of the catalog size must agree: a log whose affinities cover 46 items but whose
        // item_context.csv lists 34 mixes two campaigns, and its estimates would mean nothing.
        var sizes = new List<(int Count, string What, string File)>();
        if (affinityColumns.Length > 0) sizes.Add((affinityColumns.Length, $"{AffinityPrefix}* columns", path));
        if (expectedColumns.Length > 0) sizes.Add((expectedColumns.Length, $"{ExpectedRewardPrefix}* columns", path));
        if (itemTable is not null) sizes.Add((itemTable.Rows.Count, "items", itemContextPath));
        foreach (var s in sizes.Skip(1))
            if (s.Count != sizes[0].Count)
                throw new LogFormatException(s.File, 0,
                    $"mismatched item counts: {s.Count} {s.What} here, but {sizes[0].Count} {sizes[0].What} in {Path.GetFileName(sizes[0].File)}");

        int n = table.Rows.Count;
        if (n == 0) throw new LogFormatException(path, 0, "no rows after the header");
        var item = new int[n];
        var position = new int[n];
        var reward = new double[n];
        var propensity = new double[n];
        int iItem = table.Index(ItemId), iPos = table.Index(PositionColumn), iClick = table.Index(Click), iProp = table.Index(PropensityScore);
        var maxItem = 0;
        var maxPosition = 0;
        for (var r = 0; r < n; r++)
        {
            var line = r + 2;
            item[r] = table.Int(r, iItem, line, min: 0);
            position[r] = table.Int(r, iPos, line, min: 1) - 1;
            var click = table.Double(r, iClick, line);
            if (click is not (0 or 1)) throw new LogFormatException(path, line, $"click must be 0 or 1, got '{table.Rows[r][iClick]}'");
            reward[r] = click;
            var p = table.Double(r, iProp, line);
            // A zero propensity means the logging policy could not have chosen this row's action:
            // importance weights would divide by it, so the log is wrong, not the estimator.
            if (!(p > 0 && p <= 1))
                throw new LogFormatException(path, line, $"propensity_score must be in (0, 1], got '{table.Rows[r][iProp]}'");
            propensity[r] = p;
            maxItem = Math.Max(maxItem, item[r]);
            maxPosition = Math.Max(maxPosition, position[r] + 1);
        }

        var items = sizes.Count > 0 ? sizes[0].Count : maxItem + 1;
        for (var r = 0; r < n; r++)
            if (item[r] >= items)
                throw new LogFormatException(path, r + 2, $"item_id {item[r]} is out of range: the catalog has {items} items (0..{items - 1})");

        var userColumns = table.Prefixed(UserFeaturePrefix);
        var encoder = new FeatureEncoder();
        foreach (var c in userColumns) encoder.AddColumn(table, c);
        var context = new SparseVector[n];
        double[]? affinity = affinityColumns.Length > 0 ? new double[n * items] : null;
        double[]? expected = expectedColumns.Length > 0 ? new double[n * items] : null;
        var idx = new List<int>();
        var val = new List<double>();
        for (var r = 0; r < n; r++)
        {
            var line = r + 2;
            idx.Clear(); val.Clear();
            encoder.Encode(table, r, idx, val);
            for (var k = 0; k < affinityColumns.Length; k++)
            {
                var a = table.Double(r, affinityColumns[k], line);
                affinity![r * items + k] = a;
            }
            for (var k = 0; k < expectedColumns.Length; k++)
            {
                var q = table.Double(r, expectedColumns[k], line);
                if (!(q >= 0 && q <= 1))
                    throw new LogFormatException(path, line, $"{table.Header[expectedColumns[k]]} must be an expected reward in [0, 1], got '{table.Rows[r][expectedColumns[k]]}'");
                expected![r * items + k] = q;
            }
            context[r] = new SparseVector([.. idx], [.. val]);
        }

        var (itemFeatures, itemDim) = itemTable is null ? (Enumerable.Repeat(SparseVector.Empty, items).ToArray(), 0) : ReadItems(itemTable, items);
        return new BanditFeedback
        {
            Source = path, Items = items, Positions = maxPosition,
            Item = item, Position = position, Reward = reward, Propensity = propensity,
            Context = context, ContextDim = encoder.Dim, Affinity = affinity,
            ItemFeatures = itemFeatures, ItemFeatureDim = itemDim, ExpectedReward = expected,
        };
    }

    private static (SparseVector[] Features, int Dim) ReadItems(Table table, int items)
    {
        var encoder = new FeatureEncoder();
        foreach (var c in table.Prefixed(ItemFeaturePrefix)) encoder.AddColumn(table, c);
        var features = new SparseVector?[items];
        var iId = table.Index(ItemId);
        var idx = new List<int>();
        var val = new List<double>();
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var line = r + 2;
            var id = table.Int(r, iId, line, min: 0);
            if (id >= items) throw new LogFormatException(table.Path, line, $"item_id {id} is out of range 0..{items - 1}");
            if (features[id] is not null) throw new LogFormatException(table.Path, line, $"item_id {id} is listed twice");
            idx.Clear(); val.Clear();
            encoder.Encode(table, r, idx, val);
            features[id] = new SparseVector([.. idx], [.. val]);
        }
        return (features.Select(f => f!).ToArray(), encoder.Dim);
    }

    /// <summary>A CSV file split into cells (the Open Bandit files have no quoted fields).</summary>
    private sealed class Table
    {
        public required string Path { get; init; }
        public required string[] Header { get; init; }
        public required List<string[]> Rows { get; init; }

        public static Table Load(string path)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new LogFormatException(path, 0, "file not found");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new LogFormatException(path, 0, $"cannot read the file: {e.Message}");
            }
            if (lines.Length == 0 || lines[0].Trim().Length == 0)
                throw new LogFormatException(path, 0, $"empty file: expected a CSV header with {string.Join(", ", Required)}");
            var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
            var rows = new List<string[]>(lines.Length - 1);
            for (var i = 1; i < lines.Length; i++)
            {
                if (lines[i].Length == 0 && i == lines.Length - 1) break;
                var cells = lines[i].Split(',');
                if (cells.Length != header.Length)
                    throw new LogFormatException(path, i + 1, $"{cells.Length} fields, but the header has {header.Length}");
                rows.Add(cells);
            }
            return new Table { Path = path, Header = header, Rows = rows };
        }

        public bool Has(string name) => Array.IndexOf(Header, name) >= 0;
        public int Index(string name) => Array.IndexOf(Header, name);

        public int[] Prefixed(string prefix) =>
            Enumerable.Range(0, Header.Length).Where(i => Header[i].StartsWith(prefix, StringComparison.Ordinal)).ToArray();

        /// <summary>Columns prefix0..prefixK-1, in item order; they must be numbered without gaps.</summary>
        public int[] Numbered(string prefix)
        {
            var found = Prefixed(prefix);
            var result = new int[found.Length];
            for (var k = 0; k < found.Length; k++)
            {
                var i = Index(prefix + k.ToString(CultureInfo.InvariantCulture));
                if (i < 0) throw new LogFormatException(Path, 1, $"columns {prefix}* must be numbered 0..{found.Length - 1}; {prefix}{k} is missing");
                result[k] = i;
            }
            return result;
        }

        public double Double(int row, int column, int line)
        {
            var text = Rows[row][column];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new LogFormatException(Path, line, $"{Header[column]} must be a number, got '{text}'");
            return v;
        }

        public int Int(int row, int column, int line, int min)
        {
            var text = Rows[row][column];
            // Accept "3.0" as 3: pandas writes integer columns with NaNs as floats.
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v != Math.Floor(v) || v < min || v > int.MaxValue)
                throw new LogFormatException(Path, line, $"{Header[column]} must be an integer ≥ {min}, got '{text}'");
            return (int)v;
        }
    }

    /// <summary>Numeric columns pass through; any column with a non-number is categorical and one-hot encoded.</summary>
    private sealed class FeatureEncoder
    {
        private readonly List<(int Column, int Offset, Dictionary<string, int>? Levels)> _columns = [];

        public int Dim { get; private set; }

        public void AddColumn(Table table, int column)
        {
            var numeric = table.Rows.All(r => double.TryParse(r[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v));
            if (numeric)
            {
                _columns.Add((column, Dim, null));
                Dim += 1;
                return;
            }
            // Levels in order of first appearance: the encoding depends only on the file.
            var levels = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var r in table.Rows) levels.TryAdd(r[column], levels.Count);
            _columns.Add((column, Dim, levels));
            Dim += levels.Count;
        }

        public void Encode(Table table, int row, List<int> indices, List<double> values)
        {
            foreach (var (column, offset, levels) in _columns)
            {
                var text = table.Rows[row][column];
                if (levels is null)
                {
                    var v = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                    if (v != 0) { indices.Add(offset); values.Add(v); }
                }
                else
                {
                    indices.Add(offset + levels[text]);
                    values.Add(1);
                }
            }
        }
    }
}
