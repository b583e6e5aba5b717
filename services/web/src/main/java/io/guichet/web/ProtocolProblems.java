package io.guichet.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Gives a problem+json body to the answers Reactor Netty sends by itself, before any Spring code
 * sees the request: a request line or header that cannot be decoded (malformed percent-encoding,
 * for example: 400), a URI past the limit (414), headers past the limit (431). Netty answers those
 * with an empty body; clients of Guichet are promised RFC 9457 for every 4xx. Only empty, untyped
 * error answers are given a body, so no answer of a controller is changed.
 */
@AutoConfiguration
@ConditionalOnClass(HttpServer.class)
public class ProtocolProblems {

  private static final ChannelHandler PROBLEM_BODIES = new ProblemBodies();

  @Bean
  NettyServerCustomizer problemBodiesForProtocolErrors() {
    return server ->
        server.doOnChannelInit(
            (observer, channel, address) -> {
              ChannelPipeline pipeline = channel.pipeline();
              if (pipeline.get(NettyPipeline.HttpCodec) != null
                  && pipeline.get(ProblemBodies.NAME) == null) {
                pipeline.addAfter(NettyPipeline.HttpCodec, ProblemBodies.NAME, PROBLEM_BODIES);
              }
            });
  }

  /** Writes a problem into an empty error answer on its way to the HTTP encoder. */
  @ChannelHandler.Sharable
  static final class ProblemBodies extends ChannelOutboundHandlerAdapter {

    static final String NAME = "guichet.problemBodies";

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
      if (message instanceof FullHttpResponse response
          && response.status().code() >= 400
          && !response.content().isReadable()
          && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
        byte[] body = Problems.json(problem(response.status().code()));
        FullHttpResponse answer = response.replace(Unpooled.wrappedBuffer(body));
        answer
            .headers()
            .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.release();
        context.write(answer, promise);
        return;
      }
      context.write(message, promise);
    }
  }

  static ProblemDetail problem(int status) {
    return switch (status) {
      case 400 ->
          Problems.malformed(
                  "The request line or a header cannot be read (a malformed percent-encoding, for"
                      + " example).")
              .getBody();
      case 414 ->
          Problems.of(
                  HttpStatus.URI_TOO_LONG,
                  "uri-too-long",
                  "URI too long",
                  "The request's path and query are longer than this service reads.",
                  List.of())
              .getBody();
      case 431 ->
          Problems.of(
                  HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                  "headers-too-large",
                  "Request headers too large",
                  "The request's headers are larger than this service reads.",
                  List.of())
              .getBody();
      default -> ErrorProblems.byStatus(HttpStatus.valueOf(status)).getBody();
    };
  }
}
