package org.symphonet.overlay.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a node's YAML file into a validated {@link NodeConfig}. Strict on purpose: an unknown key
 * is usually a typo that would otherwise silently leave a default in force.
 */
public final class ConfigLoader {

    /** A config file is a few kB; anything this big is the wrong file. */
    static final long MAX_BYTES = 1 << 20;

    private final YAMLFactory factory;
    private final YAMLMapper mapper;

    public ConfigLoader() {
        factory = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        mapper = YAMLMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // "port: '5222'" or "enabled: 'yes'" are mistakes worth reporting, not guessing at.
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

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
        try {
            NodeConfig config = mapper.readValue(text, NodeConfig.class);
            if (config == null) {
                throw new ConfigException(file, "", 0, 0, "file is empty", null);
            }
            return config;
        } catch (DatabindException e) {
            throw translate(file, text, (JsonMappingException) e);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new ConfigException(file, "", loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
                    firstLine(e.getOriginalMessage()), e);
        } catch (RuntimeException e) {
            // SnakeYAML throws its own unchecked exceptions on some broken documents.
            throw new ConfigException(file, "", 0, 0, "not valid YAML: " + firstLine(e.getMessage()), e);
        }
    }

    private ConfigException translate(Path file, String text, JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        StringBuilder key = new StringBuilder();
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                append(key, pointer, r.getFieldName());
            } else if (r.getIndex() >= 0) {
                key.append('[').append(r.getIndex()).append(']');
                pointer.append('/').append(r.getIndex());
            }
        }
        String problem;
        if (e instanceof ValueInstantiationException && e.getCause() instanceof ConfigValueException cve) {
            for (String part : cve.key().split("\\.")) {
                int bracket = part.indexOf('[');
                append(key, pointer, bracket < 0 ? part : part.substring(0, bracket));
                if (bracket >= 0) {
                    String idx = part.substring(bracket + 1, part.length() - 1);
                    key.append('[').append(idx).append(']');
                    pointer.append('/').append(idx);
                }
            }
            problem = cve.getMessage();
        } else if (e instanceof UnrecognizedPropertyException u) {
            problem = "unknown key; known keys here: " + known(u.getKnownPropertyIds());
        } else if (e instanceof InvalidFormatException f) {
            problem = "bad value '" + f.getValue() + "': " + firstLine(f.getOriginalMessage());
        } else if (e instanceof MismatchedInputException) {
            problem = "wrong kind of value: " + firstLine(e.getOriginalMessage());
        } else {
            problem = firstLine(e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getCause().getMessage() : e.getOriginalMessage());
        }
        // Jackson reports a failed record at its end and an unknown key after its value; other errors
        // carry the spot of the value itself.
        boolean lookUp = e instanceof ValueInstantiationException || e instanceof UnrecognizedPropertyException;
        JsonLocation loc = lookUp || e.getLocation() == null
                ? KeyLocations.scan(factory, text).find(pointer.toString()) : e.getLocation();
        if (loc == null) {
            loc = e.getLocation();
        }
        return new ConfigException(file, key.toString(), loc == null ? 0 : loc.getLineNr(),
                loc == null ? 0 : loc.getColumnNr(), problem, e);
    }

    private static void append(StringBuilder key, StringBuilder pointer, String name) {
        if (key.length() > 0) {
            key.append('.');
        }
        key.append(name);
        pointer.append('/').append(name.replace("~", "~0").replace("/", "~1"));
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "(none)" : new TreeSet<>(ids.stream().map(String::valueOf).collect(Collectors.toSet()))
                .stream().collect(Collectors.joining(", "));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
