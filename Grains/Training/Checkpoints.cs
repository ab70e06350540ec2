using System.Runtime.InteropServices;

namespace MultiAgentRec.Training;

/// <summary>Length-prefixed arrays in a learner's checkpoint, and the write-beside-then-rename that keeps the previous file whole if a save is interrupted.</summary>
public static class Checkpoints
{
    public static void Write<T>(BinaryWriter writer, T[] values) where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>Fills <paramref name="target"/>; throws <see cref="InvalidDataException"/> when the stored array has another length.</summary>
    public static void Read<T>(BinaryReader reader, T[] target) where T : unmanaged
    {
        var length = reader.ReadInt32();
        if (length != target.Length) throw new InvalidDataException($"an array of {length} values where {target.Length} were expected");
        var bytes = MemoryMarshal.AsBytes(target.AsSpan());
        while (bytes.Length > 0)
        {
            var read = reader.Read(bytes);
            if (read == 0) throw new InvalidDataException("the file ends inside an array");
            bytes = bytes[read..];
        }
    }

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> into a file beside it, then renames it into place.</summary>
    public static void WriteAtomically(string path, Action<BinaryWriter> write)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        var partial = path + ".partial";
        using (var stream = File.Create(partial))
        using (var writer = new BinaryWriter(stream))
            write(writer);
        File.Move(partial, path, overwrite: true);
    }
}
