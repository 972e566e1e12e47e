package org.symphonet.overlay.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a node's YAML file into a validated {@link NodeConfig}. Strict on purpose: an unknown key
 * is usually a typo that would otherwise silently leave a default in force. The document is read
 * as a tree ({@link YamlTree}) and bound by the records' own {@code read} methods ({@link Fields}),
 * and every problem is reported at the line of its key (or of the entry a missing key belongs in).
 */
public final class ConfigLoader {

    /** A config file is a few kB; anything this big is the wrong file. */
    static final long MAX_BYTES = 1 << 20;

    public NodeConfig load(Path file) throws ConfigException {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(file, "", 0, 0, "file is larger than " + MAX_BYTES + " bytes", null);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, "", 0, 0, "file is not UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(file, "", 0, 0, "cannot read: " + e, e);
        }
        NodeConfig config = parse(file, text);
        Path dir = file.toAbsolutePath().getParent();
        return dir == null ? config : config.resolvedAgainst(dir);
    }

    /** Parses {@code text}; {@code file} only names the source in errors. Relative paths stay relative. */
    public NodeConfig parse(Path file, String text) throws ConfigException {
        YamlTree.Node root;
        try {
            root = YamlTree.parse(text);
        } catch (YamlTree.SyntaxException e) {
            throw new ConfigException(file, "", e.pos.line(), e.pos.column(), firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            // SnakeYAML throws its own unchecked exceptions on some broken documents.
            throw new ConfigException(file, "", 0, 0, "not valid YAML: " + firstLine(e.getMessage()), e);
        }
        if (root == null || root instanceof YamlTree.Scalar s && s.isNull()) {
            throw new ConfigException(file, "", 0, 0, "file is empty", null);
        }
        try {
            return NodeConfig.read(root);
        } catch (ConfigValueException e) {
            YamlTree.Pos pos = YamlTree.locate(root, e.key());
            throw new ConfigException(file, e.key(), pos.line(), pos.column(), firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
