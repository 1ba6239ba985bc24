package io.jruntime.hooks.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** The parts of the container state (runtime.md "State") the hook uses, read from its stdin. */
public record ContainerState(String id, int pid, Map<String, String> annotations) {
    public static ContainerState parse(byte[] json) {
        String id = null;
        int pid = 0;
        Map<String, String> annotations = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new HookException("the container state on stdin is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "pid" -> pid = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                    case "annotations" -> {
                        if (t == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String key = p.currentName();
                                if (p.nextToken() == JsonToken.VALUE_STRING) {
                                    annotations.put(key, p.getText());
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new HookException("the container state on stdin is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new HookException("reading the container state: " + e.getMessage());
        }
        if (id == null || id.isEmpty() || id.indexOf('\n') >= 0) {
            throw new HookException("the container state on stdin has no valid \"id\"");
        }
        return new ContainerState(id, pid, annotations);
    }
}
