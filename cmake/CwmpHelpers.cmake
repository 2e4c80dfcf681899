# Helpers that every module uses, so adding a module or a test is one call.

# Warnings as errors on the project's own code (never on generated gSOAP code).
function(cwmp_project_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
endfunction()

# cwmp_add_gtest(NAME <prefix> SOURCES a.cpp ... [LIBS lib ...])
# One GoogleTest executable; ctest names its cases "<prefix>.<Suite>.<Case>", so
# `ctest -R <prefix>` selects a module's tests.
function(cwmp_add_gtest)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS" ${ARGN})
  set(exe test_${T_NAME})
  add_executable(${exe} ${T_SOURCES})
  set_target_properties(${exe} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_link_libraries(${exe} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${exe} PRIVATE
    CWMP_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    CWMP_BINARY_DIR="${CMAKE_BINARY_DIR}"
    CWMP_REFERENCE_DIR="${CWMP_REFERENCE_DIR}"
    CWMP_GUIDE_FILE="${CWMP_GUIDE_FILE}")
  cwmp_project_warnings(${exe})
  gtest_discover_tests(${exe} TEST_PREFIX "${T_NAME}." DISCOVERY_TIMEOUT 60
                       PROPERTIES TIMEOUT 300)
endfunction()

# cwmp_add_fuzzer(NAME <name> SOURCE fuzz.cpp LIBS ...)
# Every target defines LLVMFuzzerTestOneInput. With CWMP_FUZZ=ON it links libFuzzer and ctest
# runs it for CWMP_FUZZ_SECONDS over tests/fuzz/corpus/<name>; otherwise it links a small
# driver that replays the corpus, so every build checks the seeds.
function(cwmp_add_fuzzer)
  cmake_parse_arguments(F "" "NAME;SOURCE" "LIBS" ${ARGN})
  set(exe fuzz_${F_NAME})
  set(corpus ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${F_NAME})
  if(CWMP_FUZZ)
    add_executable(${exe} ${F_SOURCE})
    target_link_options(${exe} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${exe} ${F_SOURCE} ${CMAKE_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
  endif()
  set_target_properties(${exe} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  target_link_libraries(${exe} PRIVATE ${F_LIBS})
  cwmp_project_warnings(${exe})
  if(CWMP_FUZZ)
    set(work ${CMAKE_BINARY_DIR}/fuzz/work/${F_NAME})
    add_test(NAME fuzz.${F_NAME}
             COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
                     $<TARGET_FILE:${exe}> -max_total_time=${CWMP_FUZZ_SECONDS} -rss_limit_mb=2048
                     -timeout=10 -print_final_stats=1 ${work} ${corpus})
    set_tests_properties(fuzz.${F_NAME} PROPERTIES TIMEOUT 600)
    file(MAKE_DIRECTORY ${work})
  else()
    add_test(NAME fuzz_replay.${F_NAME} COMMAND ${exe} ${corpus})
  endif()
endfunction()

# cwmp_add_benchmark(NAME <name> SOURCES ... LIBS ...) — a Google Benchmark program in build/bench.
function(cwmp_add_benchmark)
  if(NOT CWMP_BENCH)
    return()
  endif()
  cmake_parse_arguments(B "" "NAME" "SOURCES;LIBS" ${ARGN})
  add_executable(bench_${B_NAME} ${B_SOURCES})
  set_target_properties(bench_${B_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
  target_link_libraries(bench_${B_NAME} PRIVATE ${B_LIBS} benchmark::benchmark)
  target_compile_definitions(bench_${B_NAME} PRIVATE CWMP_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  cwmp_project_warnings(bench_${B_NAME})
endfunction()

# Adds every immediate subdirectory of the current source dir that has a CMakeLists.txt,
# so modules and test folders can be added without editing a shared list.
function(cwmp_add_subdirectories)
  file(GLOB children RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} CONFIGURE_DEPENDS
       ${CMAKE_CURRENT_SOURCE_DIR}/*/CMakeLists.txt)
  list(SORT children)
  foreach(child ${children})
    get_filename_component(dir ${child} DIRECTORY)
    add_subdirectory(${dir})
  endforeach()
endfunction()
