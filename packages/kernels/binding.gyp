{
  "variables": {
    "rk_cflags": ["-std=c++17", "-O3", "-fexceptions", "-ffp-contract=off", "-pthread", "-fPIC",
                  "-Wall", "-Wno-maybe-uninitialized"]
  },
  "targets": [
    {
      "target_name": "recurrent_kernels",
      "sources": [
        "native/addon.cc",
        "native/napi_args.cc",
        "native/result_buffers.cc",
        "native/compute_context.cc",
        "native/thread_pool.cc",
        "native/task_phases.cc",
        "native/owned_blocks.cc",
        "native/row_ranges.cc",
        "native/scratch.cc",
        "native/gemm.cc",
        "native/gemm_tfjs.cc",
        "native/rnn_common.cc",
        "native/rnn_forward.cc",
        "native/rnn_block.cc",
        "native/rnn_step.cc",
        "native/rnn_step_napi.cc",
        "native/step_weights.cc",
        "native/rnn_backward.cc",
        "native/conv1d.cc",
        "native/conv1d_napi.cc",
        "native/sparse_rows.cc",
        "native/optimizer_update.cc",
        "native/optimizer_update_napi.cc",
        "native/row_ops.cc",
        "native/row_ops_napi.cc",
        "native/isa_scalar.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["<@(rk_cflags)"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["target_arch=='x64'", {
          "dependencies": ["rk_isa_avx2", "rk_isa_avx512"]
        }, {
          "sources": ["native/isa_stubs_x86.cc"]
        }]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          # Each instruction set is its own library, compiled with that set enabled; the addon
          # only calls into it after checking the CPU at run time (never -march=native: prebuilt
          # binaries must run on other machines).
          "target_name": "rk_isa_avx2",
          "type": "static_library",
          "sources": ["native/isa_avx2.cc"],
          "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
          "cflags_cc": ["<@(rk_cflags)", "-mavx2", "-mfma"]
        },
        {
          "target_name": "rk_isa_avx512",
          "type": "static_library",
          "sources": ["native/isa_avx512.cc"],
          "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
          "cflags_cc": ["<@(rk_cflags)", "-mavx512f", "-mavx512dq", "-mavx512bw", "-mavx512vl", "-mavx2", "-mfma"]
        }
      ]
    }]
  ]
}
