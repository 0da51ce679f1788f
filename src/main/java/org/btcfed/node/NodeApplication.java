package org.btcfed.node;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
@SpringBootApplication
public class NodeApplication { public static void main(String[] a) { SpringApplication.run(NodeApplication.class, a); } }
