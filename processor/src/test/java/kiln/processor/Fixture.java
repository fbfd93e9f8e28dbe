package kiln.processor;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One PyTorch float64 reference case from {@code ../shared/fixtures} (copied into test resources
 * so any clone can run the tests): parameters, a batch, and the expected forward, loss, gradients
 * and optimizer trajectories.
 */
final class Fixture {
    final JsonObject json;

    private Fixture(JsonObject json) {
        this.json = json;
    }

    /** Case {@code name}, or one of its variants as {@code name/variant}. */
    static Fixture load(String name) {
        String file = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        JsonObject json;
        try (var in = Fixture.class.getResourceAsStream("/fixtures/" + file + ".json")) {
            if (in == null) throw new IllegalStateException("missing test resource /fixtures/" + file + ".json");
            json = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (file.equals(name)) return new Fixture(json);
        String variant = name.substring(file.length() + 1);
        for (JsonElement v : json.getAsJsonArray("variants")) {
            if (v.getAsJsonObject().get("variant").getAsString().equals(variant)) return new Fixture(v.getAsJsonObject());
        }
        throw new IllegalArgumentException(file + " has no variant " + variant);
    }

    /** A tensor that replaces a random draw (a dropout mask, the VAE's eps), by name. */
    double[] randomInput(String name) {
        return data(json.getAsJsonObject("random_inputs").get(name));
    }

    /** The reference value of a named intermediate of the forward pass. */
    double[] intermediate(String name) {
        return data(json.getAsJsonObject("forward").getAsJsonObject("intermediates").get(name));
    }

    static double[] data(JsonElement tensor) {
        JsonArray a = tensor.getAsJsonObject().getAsJsonArray("data");
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsDouble();
        return out;
    }

    static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    int batchSize() {
        return json.getAsJsonObject("input").getAsJsonArray("shape").get(0).getAsInt();
    }

    double[] input() {
        return data(json.get("input"));
    }

    double[] target() {
        return data(json.get("target"));
    }

    /** Initial parameters by name, in PyTorch state_dict order. */
    Map<String, double[]> params() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (JsonElement p : json.getAsJsonArray("params")) out.put(p.getAsJsonObject().get("name").getAsString(), data(p));
        return out;
    }

    double[] output() {
        return data(json.getAsJsonObject("forward").get("output"));
    }

    double loss() {
        return json.getAsJsonObject("forward").get("loss").getAsDouble();
    }

    double[] paramGrad(String name) {
        return data(json.getAsJsonObject("grads").getAsJsonObject("params").get(name));
    }

    double[] inputGrad() {
        return data(json.getAsJsonObject("grads").get("input"));
    }

    JsonObject optimizer(String name) {
        for (JsonElement o : json.getAsJsonArray("optimizers")) {
            if (o.getAsJsonObject().get("name").getAsString().equals(name)) return o.getAsJsonObject();
        }
        throw new IllegalArgumentException("no optimizer run " + name);
    }
}
