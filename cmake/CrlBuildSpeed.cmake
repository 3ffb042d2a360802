# Build-time helpers: LibTorch headers cost ~30-50 s per translation unit, so every target
# that includes them reuses crl_core's precompiled header, and ccache keeps rebuilds short.
if(CRL_USE_CCACHE)
    find_program(CRL_CCACHE ccache)
    if(CRL_CCACHE)
        # pch_defines/time_macros let ccache hit on translation units built with a PCH;
        # CCACHE_BASEDIR makes paths relative, so another clone of the tree hits the same cache.
        set(CMAKE_CXX_COMPILER_LAUNCHER
            ${CMAKE_COMMAND} -E env
            "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
            "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}" ${CRL_CCACHE})
    endif()
endif()

# crl_reuse_torch_pch(target): compile target with crl_core's precompiled torch header.
# The PCH is built with -fPIC (see core/CMakeLists.txt); GCC rejects it, silently re-parsing
# LibTorch, for a translation unit compiled with -fPIE, so every reuser compiles with -fPIC.
function(crl_reuse_torch_pch target)
    target_precompile_headers(${target} REUSE_FROM crl_core)
    target_compile_options(${target} PRIVATE -fPIC -Werror=invalid-pch)
endfunction()
