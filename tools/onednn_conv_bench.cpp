// The oneDNN decision of issue 3, by measurement: one vgg convolution (3×3, stride 1, pad 1) at batch 1 and 16,
// forward, backward-data and backward-weights through oneDNN (its own blocked layouts, `format_tag::any`, so its
// best case without reorders) against im2col + OpenBLAS sgemm as the engine does them (im2col on one thread; col2im
// not timed, so the sgemm side is flattered on backward-data). Prints GFLOP/s (2 per multiply-add); best of 7.
//
// Not part of the build (oneDNN is not a dependency). Debian 12: apt-get install libdnnl-dev libopenblas-dev, then
//   g++ -O2 -std=c++17 tools/onednn_conv_bench.cpp -o /tmp/onednn_conv_bench \
//       -I/usr/include/x86_64-linux-gnu/openblas-pthread -ldnnl -lopenblas
//   OMP_NUM_THREADS=2 /tmp/onednn_conv_bench
// (oneDNN 2.6's API: operation descriptors, then primitive descriptors.)
#include <dnnl.hpp>
#include <cblas.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>
#include <functional>
using namespace dnnl;
static double best(std::function<void()> f){ f(); double b=1e9; for(int r=0;r<7;r++){auto a=std::chrono::steady_clock::now(); f(); double d=std::chrono::duration<double>(std::chrono::steady_clock::now()-a).count(); if(d<b)b=d;} return b; }
int main(int argc,char**argv){
  int blasThreads = 2; openblas_set_num_threads(blasThreads);
  int shapes[][4]={{64,128,48,48},{128,256,24,24},{256,256,24,24},{256,512,12,12},{512,512,12,12},{512,512,6,6}};
  engine eng(engine::kind::cpu,0); stream s(eng);
  for(int B: {1,16}) for(auto& sh: shapes){ int C=sh[0],O=sh[1],H=sh[2],W=sh[3];
    double macs=(double)B*O*C*9*H*W;
    memory::dims src={B,C,H,W}, wei={O,C,3,3}, dst={B,O,H,W}, st={1,1}, pad={1,1};
    auto md=[&](memory::dims d, memory::format_tag t){return memory::desc(d,memory::data_type::f32,t);};
    auto s_any=md(src,memory::format_tag::any), w_any=md(wei,memory::format_tag::any), d_any=md(dst,memory::format_tag::any);
    auto fpd=convolution_forward::primitive_desc(convolution_forward::desc(prop_kind::forward_training,algorithm::convolution_direct,s_any,w_any,d_any,st,pad,pad),eng);
    memory sm(fpd.src_desc(),eng), wm(fpd.weights_desc(),eng), dm(fpd.dst_desc(),eng);
    std::memset(sm.get_data_handle(),0,fpd.src_desc().get_size()); std::memset(wm.get_data_handle(),0,fpd.weights_desc().get_size());
    convolution_forward f(fpd);
    double tf=best([&]{ f.execute(s,{{DNNL_ARG_SRC,sm},{DNNL_ARG_WEIGHTS,wm},{DNNL_ARG_DST,dm}}); s.wait(); });
    auto bdpd=convolution_backward_data::primitive_desc(convolution_backward_data::desc(algorithm::convolution_direct,s_any,w_any,d_any,st,pad,pad),eng,fpd);
    memory dsm(bdpd.diff_src_desc(),eng), ddm(bdpd.diff_dst_desc(),eng), wm2(bdpd.weights_desc(),eng);
    std::memset(ddm.get_data_handle(),0,bdpd.diff_dst_desc().get_size());
    convolution_backward_data bd(bdpd);
    double tbd=best([&]{ bd.execute(s,{{DNNL_ARG_DIFF_DST,ddm},{DNNL_ARG_WEIGHTS,wm2},{DNNL_ARG_DIFF_SRC,dsm}}); s.wait(); });
    auto bwpd=convolution_backward_weights::primitive_desc(convolution_backward_weights::desc(algorithm::convolution_direct,s_any,w_any,d_any,st,pad,pad),eng,fpd);
    memory sm3(bwpd.src_desc(),eng), ddm3(bwpd.diff_dst_desc(),eng), dwm(bwpd.diff_weights_desc(),eng);
    std::memset(sm3.get_data_handle(),0,bwpd.src_desc().get_size()); std::memset(ddm3.get_data_handle(),0,bwpd.diff_dst_desc().get_size());
    convolution_backward_weights bw(bwpd);
    double tbw=best([&]{ bw.execute(s,{{DNNL_ARG_SRC,sm3},{DNNL_ARG_DIFF_DST,ddm3},{DNNL_ARG_DIFF_WEIGHTS,dwm}}); s.wait(); });
    // im2col + sgemm per sample: Y[O x HW] = W[O x C9] * col[C9 x HW]; dW += dY * col^T; dcol = W^T * dY (col2im not timed)
    int K=C*9, N=H*W;
    std::vector<float> col((size_t)K*N,0.f), Wt((size_t)O*K,0.f), Y((size_t)O*N), dY((size_t)O*N,0.f), dW((size_t)O*K), dcol((size_t)K*N);
    std::vector<float> x((size_t)C*H*W,0.f);
    auto im2col=[&]{ for(int c=0;c<C;c++) for(int ky=0;ky<3;ky++) for(int kx=0;kx<3;kx++){ float* row=&col[((size_t)(c*9+ky*3+kx))*N];
        for(int y=0;y<H;y++){ int iy=y+ky-1; for(int xx=0;xx<W;xx++){ int ix=xx+kx-1; row[y*W+xx]=(iy>=0&&iy<H&&ix>=0&&ix<W)?x[(c*H+iy)*W+ix]:0.f; } } } };
    double gf=best([&]{ for(int b=0;b<B;b++){ im2col(); cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,O,N,K,1,Wt.data(),K,col.data(),N,0,Y.data(),N);} });
    double gbw=best([&]{ for(int b=0;b<B;b++){ cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasTrans,O,K,N,1,dY.data(),N,col.data(),N,1,dW.data(),K);} });
    double gbd=best([&]{ for(int b=0;b<B;b++){ cblas_sgemm(CblasRowMajor,CblasTrans,CblasNoTrans,K,N,O,1,Wt.data(),K,dY.data(),N,0,dcol.data(),N);} });
    auto g=[&](double t){return 2*macs/t/1e9;};
    printf("B%-2d %3d->%3d %2dx%-2d  oneDNN fwd %5.0f bwd-data %5.0f bwd-w %5.0f | im2col+sgemm fwd %5.0f gemm-bwd-data %5.0f gemm-bwd-w %5.0f GFLOP/s\n",
      B,C,O,H,W,g(tf),g(tbd),g(tbw),g(gf),g(gbd),g(gbw));
  }
}
