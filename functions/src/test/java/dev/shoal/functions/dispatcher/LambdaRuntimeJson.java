package dev.shoal.functions.dispatcher;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

/** Events and answers read and written as the Java Lambda runtime does (aws-lambda-java-serialization). */
final class LambdaRuntimeJson {

    private static final PojoSerializer<SQSEvent> EVENTS =
            LambdaEventSerializers.serializerFor(SQSEvent.class, LambdaRuntimeJson.class.getClassLoader());
    private static final PojoSerializer<SQSBatchResponse> ANSWERS =
            LambdaEventSerializers.serializerFor(SQSBatchResponse.class, LambdaRuntimeJson.class.getClassLoader());

    private LambdaRuntimeJson() {
    }

    static SQSEvent sqsEvent(byte[] json) {
        return EVENTS.fromJson(new ByteArrayInputStream(json));
    }

    static byte[] answer(SQSBatchResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ANSWERS.toJson(response, out);
        return out.toByteArray();
    }
}
